"""Answering image requests from a pyramid: stored files when the pyramid holds the canonical URL,
else pixels computed from the tiles that match what Pillow makes from the original."""

import io
import shutil

import pytest
from PIL import Image, ImageChops, ImageOps, ImageStat

from iiif.image_render import ImageRenderer, ResultCache
from iiif.image_request import ImageLimits, parse_image_request
from iiif.pyramid_layout import TilePyramid

LIMITS = ImageLimits()


def ask(pyramid: TilePyramid, url_tail: str, renderer: ImageRenderer | None = None):
    region, size, rotation, quality_format = url_tail.split("/")
    request = parse_image_request(region, size, rotation, quality_format).resolve(
        pyramid.info.width, pyramid.info.height, LIMITS
    )
    return (renderer or ImageRenderer()).answer(pyramid, request)


def decoded(answer) -> Image.Image:
    data = answer.data if answer.data is not None else answer.path.read_bytes()
    return Image.open(io.BytesIO(data))


def mean_difference(one: Image.Image, other: Image.Image) -> float:
    assert one.size == other.size
    return max(ImageStat.Stat(ImageChops.difference(one, other)).mean)


@pytest.fixture
def squares(squares_pyramid) -> TilePyramid:
    return TilePyramid.open(squares_pyramid)


@pytest.fixture(scope="module")
def original(validator_image) -> Image.Image:
    return Image.open(validator_image).convert("RGB")


@pytest.mark.parametrize(
    "url_tail, stored",
    [
        ("0,0,512,512/max/0/default.jpg", "0,0,512,512/max/0/default.jpg"),
        ("0,0,512,512/512,512/0/default.jpg", "0,0,512,512/max/0/default.jpg"),  # as OpenSeadragon asks
        ("512,512,488,488/488,/0/default.jpg", "512,512,488,488/max/0/default.jpg"),
        ("full/500,500/0/default.jpg", "full/500,500/0/default.jpg"),
        ("full/!400,400/0/default.jpg", "full/400,400/0/default.jpg"),
        ("full/400,/0/color.jpg", "full/400,400/0/default.jpg"),  # colour is the default
        ("full/800,800/0/default.webp", "full/800,800/0/default.webp"),
        ("full/max/0/default.jpg", "full/max/0/default.jpg"),
    ],
)
def test_what_the_pyramid_holds_is_answered_with_its_file(squares, url_tail, stored):
    answer = ask(squares, url_tail)
    assert answer.path == squares.directory / stored and answer.data is None
    assert answer.media_type == ("image/webp" if stored.endswith("webp") else "image/jpeg")


@pytest.mark.parametrize(
    "url_tail, reference",
    [
        ("100,100,300,200/max/0/default.png", lambda o: o.crop((100, 100, 400, 300))),
        ("pct:10,10,30,20/150,/0/default.png", lambda o: o.crop((100, 100, 400, 300)).resize((150, 100))),
        ("400,400,300,300/max/0/default.png", lambda o: o.crop((400, 400, 700, 700))),  # across 4 tiles
        ("full/250,/0/default.png", lambda o: o.resize((250, 250))),  # from level 2
        ("square/200,100/0/default.png", lambda o: o.resize((200, 100))),  # distorted
        ("0,0,500,1000/max/90/default.png", lambda o: o.crop((0, 0, 500, 1000)).rotate(-90, expand=True)),
        ("0,0,500,1000/max/180/default.png", lambda o: o.crop((0, 0, 500, 1000)).rotate(180)),
        ("0,0,500,1000/max/270/default.png", lambda o: o.crop((0, 0, 500, 1000)).rotate(90, expand=True)),
        ("0,0,500,1000/max/!0/default.png", lambda o: ImageOps.mirror(o.crop((0, 0, 500, 1000)))),
        (
            "0,0,500,1000/max/!90/default.png",
            lambda o: ImageOps.mirror(o.crop((0, 0, 500, 1000))).rotate(-90, expand=True),
        ),
        ("full/max/0/gray.png", lambda o: o.convert("L")),
        ("0,0,100,50/^200,100/0/default.png", lambda o: o.crop((0, 0, 100, 50)).resize((200, 100))),
    ],
)
def test_computed_answers_match_pillow_on_the_original(squares, original, url_tail, reference):
    """Region, then size, then mirror and rotation, then quality, as the spec orders them."""
    image = decoded(ask(squares, url_tail))
    expected = reference(original)
    assert image.mode == expected.mode
    assert mean_difference(image, expected) < 4


def test_bitonal_is_black_and_white_only(squares):
    image = decoded(ask(squares, "full/300,/0/bitonal.png"))
    assert image.mode == "1"
    assert set(image.convert("L").getdata()) == {0, 255}


def test_arbitrary_rotation_has_transparent_corners_in_png_and_white_in_jpeg(squares):
    png = decoded(ask(squares, "full/200,/45/default.png"))
    assert png.width == png.height and 283 <= png.width <= 284 and png.mode == "RGBA"  # 200 * sqrt(2)
    assert png.getpixel((2, 2))[3] == 0 and png.getpixel((141, 141))[3] == 255
    jpeg = decoded(ask(squares, "full/200,/45/default.jpg"))
    assert jpeg.size == png.size and min(jpeg.getpixel((2, 2))) > 240


@pytest.mark.parametrize(
    "fmt, pillow_format", [("jpg", "JPEG"), ("png", "PNG"), ("webp", "WEBP"), ("gif", "GIF"), ("tif", "TIFF")]
)
def test_every_format_is_what_it_says(squares, fmt, pillow_format):
    image = decoded(ask(squares, f"100,100,300,200/150,100/0/default.{fmt}"))
    assert (image.format, image.size) == (pillow_format, (150, 100))


def test_computed_answers_come_from_the_tiles_they_need(tmp_path, squares_pyramid, original):
    """No original is involved: with every full-resolution tile but one deleted, a region inside
    that tile and a small whole-image size are still answered."""
    copy = tmp_path / "pyramid"
    shutil.copytree(squares_pyramid, copy)
    for name in ("512,0,488,512", "0,512,512,488", "512,512,488,488", "full/max", "full/800,800"):
        shutil.rmtree(copy / name)
    pyramid = TilePyramid.open(copy)
    inside = decoded(ask(pyramid, "10,10,300,300/max/0/default.png"))
    assert mean_difference(inside, original.crop((10, 10, 310, 310))) < 4
    small = decoded(ask(pyramid, "full/300,/0/default.png"))
    assert mean_difference(small, original.resize((300, 300))) < 4
    with pytest.raises(FileNotFoundError):
        ask(pyramid, "600,600,10,10/max/0/default.png")


def test_computed_answers_are_cached_until_the_cache_is_full(squares):
    renderer = ImageRenderer(cache_bytes=10_000_000)
    first = ask(squares, "10,10,100,100/max/0/default.png", renderer)
    again = ask(squares, "10,10,100,100/max/0/default.png", renderer)
    assert again.data is first.data and renderer.cache.size == len(first.data)


def test_the_cache_drops_the_least_recently_used_first():
    cache = ResultCache(max_bytes=400)
    for name in "abcd":
        cache.put((name,), bytes(100))
    assert cache.get(("a",)) is not None  # "a" is now the most recent
    cache.put(("e",), bytes(100))
    assert [cache.get((name,)) is not None for name in "abcde"] == [True, False, True, True, True]
    assert cache.size == 400
    cache.put(("huge",), bytes(101))  # more than a quarter of the cache: not kept
    assert cache.get(("huge",)) is None and cache.size == 400
