"""Linking an inspected file to the logs: does its size equal the size downloaded in each window?

Equal sizes support (do not prove) that this version of the file is what was served; a different size
means another version was online in that window. The log size is the one `Analyser.windows` uses: `--size`
when given, else the size inferred from the window's 200 GET responses (queries/downloads_rule.sql most_common).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import Inspection

if TYPE_CHECKING:
    from ..analysis.analyser import Analyser
    from ..analysis.targets import Target


def compare_with_windows(analysis: Analyser, inspection: Inspection, target: str | Target) -> list[dict[str, Any]]:
    """One row per exposure window of `target`: log size, file size and verdict (match | mismatch | unknown)."""
    windows = analysis.windows(target)
    out = []
    for row in windows.to_dict("records"):
        if isinstance(row.get("via"), str):  # an --alias's window is not the target's
            continue
        logged = row.get("size_bytes")
        logged = None if logged is None or logged != logged else int(logged)  # NaN from pandas
        if logged is None:
            verdict, text = "unknown", "the logs give no size for this window (no complete 200 GET)"
        elif logged == inspection.size_bytes:
            verdict, text = "match", (f"the file's {inspection.size_bytes} bytes equal the size served in window "
                                      f"{int(row['window'])}: this version is consistent with what was downloaded")
        else:
            verdict, text = "mismatch", (f"the file has {inspection.size_bytes} bytes but window "
                                         f"{int(row['window'])} served {logged} bytes: another version was online")
        # `window` is the JSON answer's name; window_no stays for readers of exposure.inspection/1
        out.append({"window": int(row["window"]), "window_no": int(row["window"]), "log_size_bytes": logged,
                    "size_inferred": bool(row.get("size_inferred", True)),
                    "file_size_bytes": inspection.size_bytes, "file_sha256": inspection.sha256,
                    "verdict": verdict, "explanation": text})
    return out
