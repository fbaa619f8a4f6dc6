"""Red team 8: CloudFront real-time logs (records of a Kinesis data stream, as Firehose delivers them to S3:
tab-separated, `timestamp` first as epoch seconds with milliseconds, no header) were passed over as "not a
log": five complete downloads missing from an answer that exited 0. Now their shape is known
(exposure/formats/unread.py) and the file is refused as unreadable: the answer rests on incomplete evidence
(exit 3), as for HAProxy, Envoy and Squid."""

from __future__ import annotations

from pathlib import Path

from tests import test_servers_unread as unread
from tests.test_servers_unread import SIZE, TARGET

# the AWS Developer Guide's real-time log fields, in their order (every field selected)
FIELDS = ("timestamp c-ip time-to-first-byte sc-status sc-bytes cs-method cs-protocol cs-host cs-uri-stem cs-bytes "
          "x-edge-location x-edge-request-id x-host-header time-taken cs-protocol-version c-ip-version cs-user-agent "
          "cs-referer cs-cookie cs-uri-query x-edge-response-result-type x-forwarded-for ssl-protocol ssl-cipher "
          "x-edge-result-type fle-encrypted-fields fle-status sc-content-type sc-content-len sc-range-start "
          "sc-range-end c-port x-edge-detailed-result-type c-country cs-accept-encoding cs-accept "
          "cache-behavior-path-pattern cs-headers cs-header-names cs-headers-count").split()


def _realtime() -> str:
    def line(n: int) -> str:
        values = {"timestamp": f"159160680{n}.123", "c-ip": f"198.51.100.{n}", "time-to-first-byte": "0.001",
                  "sc-status": "200", "sc-bytes": str(SIZE + 300), "cs-method": "GET", "cs-protocol": "https",
                  "cs-host": "d111111abcdef8.cloudfront.net", "cs-uri-stem": TARGET, "cs-bytes": "180",
                  "x-edge-location": "AMS1-C1", "x-edge-request-id": f"EXAMPLE{n}==", "time-taken": "0.042",
                  "x-host-header": "www.example.nl", "cs-protocol-version": "HTTP/2.0", "c-ip-version": "IPv4",
                  "cs-user-agent": "Mozilla/5.0%20(X11)", "x-edge-response-result-type": "Miss",
                  "x-edge-result-type": "Miss", "sc-content-len": str(SIZE), "c-port": "51234",
                  "x-edge-detailed-result-type": "Miss", "c-country": "NL", "cs-headers-count": "9"}
        return "\t".join(values.get(field, "-") for field in FIELDS) + "\n"
    return "".join(line(n) for n in range(1, 6))


def test_a_cloudfront_real_time_log_is_refused_not_passed_over(tmp_path: Path) -> None:
    unread.test_unread_access_log_is_refused_and_the_answer_incomplete(tmp_path, _realtime, "CloudFront real-time log")
