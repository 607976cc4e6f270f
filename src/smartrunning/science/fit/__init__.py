"""FIT files: decoding into our own types and writing workout files for watches
(``encode_workout``). Activity files with known answers, for tests and benchmarks, are
written by ``tests/core/fitwriter.py``, not here.

The only package of ``smartrunning`` that imports FIT libraries. Decoding::

    decoded = decode_fit(data)          # DecodedFile, or FitDecodeError with a reason
    if decoded.is_activity:
        for session in decoded.sessions:  # one per sport segment
            session.records               # Records, SI units

The decoder chain and why it is what it is: ``decode`` and
``docs/decisions/fit-decoder.md``.
"""

from smartrunning.science.fit.decode import DECODERS, DecoderChoice, decode_fit
from smartrunning.science.fit.encode import encode_file
from smartrunning.science.fit.errors import FitDecodeError
from smartrunning.science.fit.model import (
    FOOT_SPORTS,
    DecodedFile,
    DecodedLap,
    DecodedSession,
    DecoderName,
    DeviceInfo,
    DeviceTotals,
    TimeBasis,
    TimerSource,
)
from smartrunning.science.fit.workout import encode_workout

__all__ = [
    "DECODERS",
    "FOOT_SPORTS",
    "DecodedFile",
    "DecodedLap",
    "DecodedSession",
    "DecoderChoice",
    "DecoderName",
    "DeviceInfo",
    "DeviceTotals",
    "FitDecodeError",
    "TimeBasis",
    "TimerSource",
    "decode_fit",
    "encode_file",
    "encode_workout",
]
