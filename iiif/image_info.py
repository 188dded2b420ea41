"""The Image API 3.0 image information document (info.json) of one pyramid: what a viewer needs to
ask for tiles and sizes, and the features we really support."""

from typing import Any

from iiif.image_request import FORMATS, ImageLimits
from iiif.pyramid_layout import PyramidInfo

CONTEXT = "http://iiif.io/api/image/3/context.json"
PROTOCOL = "http://iiif.io/api/image"
PROFILE_URI = "http://iiif.io/api/image/3/level2.json"
# Everything we support, level 2's requirements included, so a client need not know the levels.
EXTRA_FEATURES = [
    "baseUriRedirect",
    "canonicalLinkHeader",
    "cors",
    "jsonldMediaType",
    "mirroring",
    "profileLinkHeader",
    "regionByPct",
    "regionByPx",
    "regionSquare",
    "rotationArbitrary",
    "rotationBy90s",
    "sizeByConfinedWh",
    "sizeByH",
    "sizeByPct",
    "sizeByW",
    "sizeByWh",
    "sizeUpscaling",
]
# jpg and png are level 2's own formats
EXTRA_FORMATS = [fmt for fmt in FORMATS if fmt not in ("jpg", "png")]


def image_info(info: PyramidInfo, service_id: str, limits: ImageLimits, rights: str | None = None) -> dict[str, Any]:
    """``service_id`` is the image's base URL ({BASE_URL}/iiif/3/{identifier}), without a trailing slash."""
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": service_id,
        "type": "ImageService3",
        "protocol": PROTOCOL,
        "profile": "level2",
        "width": info.width,
        "height": info.height,
    }
    document.update(limit_properties(limits))
    document["tiles"] = [{"width": info.tile_width, "scaleFactors": list(info.scale_factors)}]
    document["sizes"] = [{"width": width, "height": height} for width, height in info.sizes]
    # a grey original has no colour to offer (spec 4.4: then do not list "color")
    document["extraQualities"] = ["color", "gray", "bitonal"] if info.mode == "RGB" else ["gray", "bitonal"]
    document["extraFormats"] = EXTRA_FORMATS
    document["extraFeatures"] = EXTRA_FEATURES
    if rights:
        document["rights"] = rights
    return document


def limit_properties(limits: ImageLimits) -> dict[str, int]:
    properties = {"maxWidth": limits.max_width, "maxHeight": limits.max_height, "maxArea": limits.max_area}
    return {name: value for name, value in properties.items() if value is not None}
