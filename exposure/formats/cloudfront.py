"""AWS CloudFront standard (legacy) access logs: tab-separated W3C files with `#Version` and `#Fields`.

Read by the W3C engine (exposure/formats/w3c.py) with a tab separator; a line without a tab whose spaces give
exactly one value per field is read split on spaces (CloudFront percent-encodes a space inside a value). Lines delivered without their header
(copied out of a file, or the single-line samples AWS documents) use the documented standard field list.
Times are UTC (`date`, `time`: "when the CloudFront server finished responding"). User agents are
percent-encoded, some writers encode them twice (`%2520`): both are decoded. `cs-uri-stem` is the request
URL as the viewer sent it, URL-encoded once more by CloudFront (`%` as `%25`, a space as `%20`: `my%2520file.pdf`
for `my%20file.pdf`): CloudFront's encoding is undone first, then the path is percent-decoded as every path is. `x-host-header` (the host the
viewer asked for) is the virtual host, else `cs(Host)` (the distribution's domain). Older layouts
have fewer fields (a prefix of today's list): a line needs at least the first 12 values.

Bytes: `sc-bytes` counts headers and body (the evidence records `bytes_meaning` headers+body, declared);
`sc-content-len` is the response's Content-Length header (kept as `object_size`; the evidence records it as
the exact length field). On a 200 it is the object's body length: the window's exact size, with which the
union of a range group's body offsets (`sc-range-start`/`sc-range-end` of its 206s) is compared. On a 206 it
is the part's length, never the object's. It is announced before the body is sent, so an aborted transfer
still shows the full length: a 200 GET is complete when its `sc-bytes` reach the complete-transfer band at or
above that length (queries/downloads_rule.sql), never merely because `sc-bytes >= sc-content-len` (the headers
would make up for a body a few hundred bytes short). CloudFront's own word on a disconnect decides first:
`x-edge-result-type` `Error` with an `x-edge-response-result-type` that is not `Error` ("the client disconnected
before finishing the download", AWS Developer Guide) is `completion` `aborted`, and so is a 200/206 whose
`x-edge-detailed-result-type` is `ClientCommError` (the viewer's link broke) whatever its response result type
(exposure/formats/w3c.py).
"""

from __future__ import annotations

from .w3c import W3cFormat

STANDARD_FIELDS = (
    "date time x-edge-location sc-bytes c-ip cs-method cs(host) cs-uri-stem sc-status cs(referer) "
    "cs(user-agent) cs-uri-query cs(cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol "
    "cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
    "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
    "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end"
).split()

# AWS only ever appended fields: a line of an older layout is a prefix of the list. Up to cs-uri-query
# every line has a value; later ones may be missing (the values there are NULL).
MIN_VALUES = 12

CLOUDFRONT = W3cFormat(
    name="cloudfront",
    family="cloudfront",
    description="AWS CloudFront standard access log (tab-separated W3C, #Version/#Fields)",
    example=("2020-06-08\t12:12:18\tAMS1-C1\t18712\t198.51.100.7\tGET\td111111abcdef8.cloudfront.net\t"
             "/docs/x.xlsx\t200\t-\tMozilla/5.0%20(X11)\t-\t-\tMiss\tEXAMPLEid==\twww.example.nl\thttps\t"
             "180\t0.042\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\tMiss\tHTTP/2.0\t-\t-\t51234\t0.010\tMiss\t"
             "application/vnd.ms-excel\t18412\t-\t-"),
    time_meaning="CloudFront date and time: UTC, when the edge server finished responding",
    bytes_meaning="headers+body",
    bytes_field="sc-bytes",
    exact_length_field="sc-content-len",
    has_offset=True,
    lacks=("whether the transfer completed (sc-content-len is announced, not delivered: "
           "the complete-transfer band of sc-bytes, above it, decides)",),
    detect_regex=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\t[0-9]{2}:[0-9]{2}:[0-9]{2}\t[^\t]*\t[0-9-]+\t",
    options={"header_marker": "#Fields:", "header_regex": r"#Fields:.*\bx-edge-location\b",
             "separator": "tab", "default_fields": STANDARD_FIELDS, "time_taken_unit": "s",
             "url_encoded_agents": True, "url_encoded_stem": True, "min_values": MIN_VALUES},
)

FORMATS = [CLOUDFRONT]
