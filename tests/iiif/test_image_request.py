"""Image API 3.0 request parsing, resolution to pixels and canonical form. The examples are the spec's
own (sections 4.1-4.8), on its 300 x 200 example image."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iiif.image_request import IIIFError, ImageLimits, parse_image_request

WIDTH, HEIGHT = 300, 200
NO_LIMITS = ImageLimits(None, None, None)


def resolve(
    region="full", size="max", rotation="0", quality_format="default.jpg", limits=NO_LIMITS, width=WIDTH, height=HEIGHT
):
    return parse_image_request(region, size, rotation, quality_format).resolve(width, height, limits)


def error_of(*args, **kwargs) -> IIIFError:
    with pytest.raises(IIIFError) as caught:
        resolve(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    "region, box",
    [
        ("full", (0, 0, 300, 200)),
        ("square", (50, 0, 200, 200)),  # centred in the longer dimension
        ("125,15,120,140", (125, 15, 120, 140)),
        ("pct:41.6,7.5,40,70", (125, 15, 120, 140)),
        ("125,15,200,200", (125, 15, 175, 185)),  # cut at the edge: "returned image is 175,185 px"
        ("pct:41.6,7.5,66.6,100", (125, 15, 175, 185)),
        ("0,0,300,200", (0, 0, 300, 200)),
    ],
)
def test_regions_follow_the_spec_examples(region, box):
    assert resolve(region=region).region == box


@pytest.mark.parametrize(
    "size, pixels",
    [
        ("max", (300, 200)),
        ("150,", (150, 100)),
        (",150", (225, 150)),
        ("pct:50", (150, 100)),
        ("225,100", (225, 100)),
        ("!225,100", (150, 100)),  # "returned image is 150,100 px"
        ("^360,", (360, 240)),
        ("^,240", (360, 240)),
        ("^pct:120", (360, 240)),
        ("^360,360", (360, 360)),
        ("^!360,360", (360, 240)),  # "returned image is 360,240 px"
        ("^max", (300, 200)),  # no limits: the region itself
    ],
)
def test_sizes_follow_the_spec_examples(size, pixels):
    assert resolve(size=size).size == pixels


def test_max_is_held_to_the_limits_and_caret_max_fills_them():
    assert resolve(size="max", limits=ImageLimits(200, 200, None)).size == (200, 133)
    assert resolve(size="^max", limits=ImageLimits(360, 360, None)).size == (360, 240)
    assert resolve(size="max", limits=ImageLimits(None, None, 6000)).size == (94, 63)
    assert resolve(size="^max", limits=ImageLimits(None, None, 240_000)).size == (600, 400)


@pytest.mark.parametrize(
    "segments, canonical",
    [
        ({}, "full/max/0/default.jpg"),
        ({"region": "0,0,300,200"}, "full/max/0/default.jpg"),
        ({"region": "square"}, "50,0,200,200/max/0/default.jpg"),
        ({"region": "pct:41.6,7.5,66.6,100"}, "125,15,175,185/max/0/default.jpg"),
        ({"size": "300,200"}, "full/max/0/default.jpg"),  # the largest size without upscaling is "max"
        ({"size": "^300,"}, "full/max/0/default.jpg"),
        ({"size": "150,"}, "full/150,100/0/default.jpg"),
        ({"size": "!225,100"}, "full/150,100/0/default.jpg"),
        ({"size": "^360,"}, "full/^360,240/0/default.jpg"),
        (
            {"region": "0,0,512,512", "size": "512,512", "width": 1000, "height": 1000},
            "0,0,512,512/max/0/default.jpg",
        ),  # a full-resolution tile
        ({"rotation": "!90.50"}, "full/max/!90.5/default.jpg"),
        ({"rotation": "0.0"}, "full/max/0/default.jpg"),
        ({"rotation": "360"}, "full/max/0/default.jpg"),
        ({"rotation": "22.5"}, "full/max/22.5/default.jpg"),
        ({"quality_format": "color.png"}, "full/max/0/color.png"),
        ({"quality_format": "gray.webp"}, "full/max/0/gray.webp"),
    ],
)
def test_canonical_form_is_one_url_per_image(segments, canonical):
    assert resolve(**segments).canonical == canonical


def test_caret_max_is_canonical_when_it_upscales():
    limits = ImageLimits(360, 360, None)
    assert resolve(size="^max", limits=limits).canonical == "full/^max/0/default.jpg"
    assert resolve(size="^360,240", limits=limits).canonical == "full/^max/0/default.jpg"


def test_rotation_and_mirroring_are_parsed():
    request = parse_image_request("full", "max", "!180", "bitonal.png")
    assert (request.mirror, request.degrees, request.quality, request.format) == (True, 180.0, "bitonal", "png")
    assert (request.region, request.size, request.rotation) == ("full", "max", "!180")  # raw values kept


BAD_VALUES = {
    "region": [
        "0,0,0,10",
        "10,10,10,0",
        "300,0,10,10",
        "0,200,10,10",
        "pct:100,0,10,10",
        "pct:0,0,0,10",
        "squares",
        "-1,0,10,10",
        "1,2,3",
        "pct:1,2,3,x",
        "",
    ],
    "size": [
        "0,",
        ",0",
        "pct:0",
        ",",
        "!,10",
        "!10,",
        "full",
        "301,",
        ",201",
        "301,200",
        "pct:101",
        "!600,400",
        "max,",
        "1e3,",
        "9999999999999,",
        "",
    ],
    "rotation": ["361", "-90", "abc", "!!90", "1e2", "+90", ""],
    "quality": ["grey.jpg", "default", ".jpg", "Default.jpg"],
    "format": ["default.jpeg", "default.JPG", "default.", "default.tiff"],
}


@pytest.mark.parametrize("parameter, value", [(name, value) for name, values in BAD_VALUES.items() for value in values])
def test_bad_syntax_and_out_of_range_values_are_400(parameter, value):
    segment = "quality_format" if parameter in ("quality", "format") else parameter
    error = error_of(**{segment: value})
    assert (error.status, error.parameter) == (400, parameter)
    assert error.message


@pytest.mark.parametrize("fmt", ["jp2", "pdf"])
def test_formats_of_the_spec_that_we_do_not_make_are_501(fmt):
    error = error_of(quality_format=f"default.{fmt}")
    assert (error.status, error.parameter) == (501, "format")


@pytest.mark.parametrize("size", ["100000,", "^100000,", "^100000,100000", "^pct:100000", "^max"])
def test_sizes_beyond_the_limits_are_400_before_anything_is_allocated(size):
    limits = ImageLimits(10_000, 10_000, 16_000_000)
    if size == "^max":  # ^max is always within the limits: it means "as large as allowed"
        assert resolve(size=size, limits=limits, width=1000, height=1000).size == (4000, 4000)
        return
    assert error_of(size=size, limits=limits, width=1000, height=1000).status == 400


def test_an_arbitrary_rotation_may_not_blow_a_thin_image_up_past_the_limits():
    limits = ImageLimits(10_000, 10_000, 1_000_000)
    assert resolve(size="^10000,10", rotation="90", limits=limits).size == (10000, 10)
    assert error_of(size="^10000,10", rotation="45", limits=limits).parameter == "rotation"


def test_limits_must_be_coherent():
    with pytest.raises(ValueError):
        ImageLimits(max_width=None, max_height=100, max_area=None)
    with pytest.raises(ValueError):
        ImageLimits(max_width=0)


NUMBER = st.one_of(st.integers(0, 20_000).map(str), st.floats(0, 1e6, allow_nan=False).map(lambda f: f"{f:.4f}"))
REGIONS = st.one_of(
    st.sampled_from(["full", "square"]),
    st.lists(NUMBER, min_size=4, max_size=4).flatmap(
        lambda values: st.sampled_from([",".join(values), "pct:" + ",".join(values)])
    ),
    st.text(max_size=12),
)
SIZES = st.one_of(
    st.tuples(st.sampled_from(["", "^"]), st.sampled_from(["", "!"]), NUMBER, NUMBER).map(
        lambda parts: f"{parts[0]}{parts[1]}{parts[2]},{parts[3]}"
    ),
    st.sampled_from(["max", "^max", "pct:50", "^pct:300", "10,", ",10", "^5000,"]),
    st.text(max_size=12),
)
ROTATIONS = st.one_of(st.sampled_from(["0", "90", "!180", "270", "22.5", "!359.9", "360"]), st.text(max_size=6))


@settings(max_examples=500, deadline=None)
@given(
    region=REGIONS,
    size=SIZES,
    rotation=ROTATIONS,
    quality_format=st.sampled_from(["default.jpg", "gray.png"]),
    width=st.integers(1, 30_000),
    height=st.integers(1, 30_000),
    limits=st.sampled_from([ImageLimits(), ImageLimits(None, None, None), ImageLimits(2000, 1000, 1_000_000)]),
)
def test_every_request_is_either_answerable_within_the_limits_or_a_clear_error(
    region, size, rotation, quality_format, width, height, limits
):
    try:
        resolved = resolve(region, size, rotation, quality_format, limits, width, height)
    except IIIFError as error:
        assert error.status in (400, 501) and error.parameter in ("region", "size", "rotation", "quality", "format")
        return
    x, y, w, h = resolved.region
    assert 0 <= x < width and 0 <= y < height and 1 <= w <= width - x and 1 <= h <= height - y
    assert resolved.size[0] >= 1 and resolved.size[1] >= 1 and limits.admits(*resolved.size)
    again = resolve(*resolved.canonical.split("/"), limits=limits, width=width, height=height)
    assert again.canonical == resolved.canonical and again.size == resolved.size  # canonical is a fixed point
