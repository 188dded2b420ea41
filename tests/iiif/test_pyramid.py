"""Building tile pyramids at upload: the layout (tiles at their canonical URL tails), building once
and atomically, and correct upright sRGB output from awkward originals, with both engines."""

import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from iiif.pyramid import PyramidInfo, UnreadableImage, build_pyramid
from iiif.pyramid_layout import DESCRIPTOR, level_tiles, tile_tail
from tests.iiif.sample_images import BLUE, GREEN, RED, WHITE, encoded, quadrants, rgb16_tiff, swapped_primaries_profile

TOLERANCE = 12  # JPEG at quality 85 on flat colours


def close(actual, expected, tolerance=TOLERANCE) -> bool:
    actual = actual if isinstance(actual, tuple) else (actual,)
    expected = expected if isinstance(expected, tuple) else (expected,)
    return len(actual) == len(expected) and all(abs(a - e) <= tolerance for a, e in zip(actual, expected))


def only_image(directory: Path) -> Image.Image:
    """A small image's single tile: the whole image at full size."""
    return Image.open(directory / "full/max/0/default.jpg")


def test_the_squares_image_gets_tiles_and_sizes_at_their_canonical_tails(tmp_path, validator_image, engine):
    info = build_pyramid(validator_image, tmp_path / "pyramid", engine=engine)
    assert (info.width, info.height, info.tile_width, info.scale_factors) == (1000, 1000, 512, (1, 2))
    assert info.sizes == ((400, 400), (800, 800), (1000, 1000))
    assert (info.mode, info.engine) == ("RGB", engine)
    expected = {
        "0,0,512,512/max/0/default.jpg": (512, 512),
        "512,0,488,512/max/0/default.jpg": (488, 512),
        "0,512,512,488/max/0/default.jpg": (512, 488),
        "512,512,488,488/max/0/default.jpg": (488, 488),
        "full/500,500/0/default.jpg": (500, 500),
        "full/400,400/0/default.jpg": (400, 400),
        "full/800,800/0/default.jpg": (800, 800),
        "full/max/0/default.jpg": (1000, 1000),
        "full/400,400/0/default.webp": (400, 400),
        "full/800,800/0/default.webp": (800, 800),
        "full/max/0/default.webp": (1000, 1000),
    }
    root = tmp_path / "pyramid"
    files = {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}
    assert files == set(expected) | {DESCRIPTOR}
    for tail, size in expected.items():
        with Image.open(tmp_path / "pyramid" / tail) as image:
            assert image.size == size, tail
    assert PyramidInfo.load(tmp_path / "pyramid") == info


def test_tiles_hold_the_original_pixels_at_each_level(tmp_path, validator_image, engine):
    build_pyramid(validator_image, tmp_path / "pyramid", engine=engine)
    original = Image.open(validator_image).convert("RGB")
    for scale, reference in ((1, original), (2, original.reduce(2))):
        for tile in level_tiles(1000, 1000, 512, scale):
            with Image.open(tmp_path / "pyramid" / tile_tail(1000, 1000, tile)) as stored:
                difference = ImageChops.difference(stored.convert("RGB"), reference.crop(tile.level_box))
                assert max(ImageStat.Stat(difference).mean) < 4, (scale, tile)


def test_a_second_build_is_a_no_op(tmp_path, validator_image):
    first = build_pyramid(validator_image, tmp_path / "pyramid", engine="pillow")
    tile = tmp_path / "pyramid/0,0,512,512/max/0/default.jpg"
    written = tile.stat().st_mtime_ns
    second = build_pyramid(validator_image, tmp_path / "pyramid", engine="pillow")
    assert second == first
    assert tile.stat().st_mtime_ns == written


def test_nothing_is_left_beside_the_pyramid(tmp_path, validator_image):
    build_pyramid(validator_image, tmp_path / "pyramids" / "one", engine="pillow")
    assert [path.name for path in (tmp_path / "pyramids").iterdir()] == ["one"]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not an image at all",
        encoded(quadrants(), "JPEG")[:600],
        encoded(quadrants(), "PNG")[:200],
        b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
    ],
)
def test_unreadable_files_raise_a_clear_error_and_leave_nothing(tmp_path, write_source, engine, content):
    source = write_source("broken.img", content)
    with pytest.raises(UnreadableImage, match="broken.img|truncated|corrupt|not a"):
        build_pyramid(source, tmp_path / "pyramids" / "broken", engine=engine)
    assert list((tmp_path / "pyramids").iterdir()) == []


def test_images_above_the_pixel_limit_are_refused(tmp_path, write_source, engine):
    source = write_source("big.png", Image.new("L", (300, 200)))
    with pytest.raises(UnreadableImage, match="300x200"):
        build_pyramid(source, tmp_path / "pyramid", engine=engine, max_pixels=50_000)


def test_a_one_pixel_wide_image_gets_every_level(tmp_path, write_source, engine):
    source = write_source("thread.png", Image.new("RGB", (1, 100_000), RED))
    info = build_pyramid(source, tmp_path / "pyramid", engine=engine)
    assert info.scale_factors == (1, 2, 4, 8, 16, 32, 64, 128, 256)
    assert info.sizes == ((1, 400), (1, 800), (1, 1600))
    for scale in info.scale_factors:
        for tile in level_tiles(1, 100_000, 512, scale):
            assert (tmp_path / "pyramid" / tile_tail(1, 100_000, tile)).is_file(), tile
    with Image.open(tmp_path / "pyramid/full/1,400/0/default.jpg") as size:
        assert size.size == (1, 400) and close(size.convert("RGB").getpixel((0, 200)), RED, 40)


def test_exif_orientation_is_applied(tmp_path, write_source, engine):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side: turn 90 degrees clockwise to show
    source = write_source("turned.jpg", quadrants((400, 300)), "JPEG", exif=exif, quality=95)
    build_pyramid(source, tmp_path / "pyramid", engine=engine)
    with only_image(tmp_path / "pyramid") as image:
        assert image.size == (300, 400)
        # the stored left column (red above blue) becomes the top row, blue on the left
        assert close(image.getpixel((75, 100)), BLUE) and close(image.getpixel((225, 100)), RED)
        assert close(image.getpixel((75, 300)), WHITE) and close(image.getpixel((225, 300)), GREEN)
    assert PyramidInfo.load(tmp_path / "pyramid").width == 300


def test_cmyk_jpeg_comes_out_in_rgb(tmp_path, write_source, engine):
    source = write_source("print.jpg", quadrants().convert("CMYK"), "JPEG", quality=95)
    build_pyramid(source, tmp_path / "pyramid", engine=engine)
    with only_image(tmp_path / "pyramid") as image:
        assert image.mode == "RGB"
        red, green, blue, white = (image.getpixel(xy) for xy in ((100, 75), (300, 75), (100, 225), (300, 225)))
    # libvips applies a press CMYK profile, Pillow the plain formula: both must keep the hues
    assert red[0] > 200 and red[0] - max(red[1:]) > 120
    assert green[1] > 120 and green[1] - max(green[0], green[2]) > 50
    assert blue[2] > 120 and blue[2] - max(blue[:2]) > 50
    assert min(white) > 235


def test_sixteen_bit_tiff_is_scaled_to_eight_bits(tmp_path, write_source, engine):
    source = write_source("scan.tif", rgb16_tiff(64, 48, (65535, 32768, 0)))
    build_pyramid(source, tmp_path / "pyramid", engine=engine)
    with only_image(tmp_path / "pyramid") as image:
        assert image.size == (64, 48) and close(image.getpixel((32, 24)), (255, 128, 0))


def test_sixteen_bit_grey_stays_grey_and_keeps_its_tones(tmp_path, write_source, engine):
    source = write_source("plate.png", Image.new("I;16", (64, 48), 32768))
    info = build_pyramid(source, tmp_path / "pyramid", engine=engine)
    assert info.mode == "L"
    with only_image(tmp_path / "pyramid") as image:
        assert image.mode == "L" and close(image.getpixel((32, 24)), 128)


def test_an_embedded_icc_profile_is_converted_to_srgb(tmp_path, write_source, engine):
    """Stored red under a profile whose red primary is sRGB blue must come out blue."""
    source = write_source("wide.png", Image.new("RGB", (64, 48), RED), "PNG", icc_profile=swapped_primaries_profile())
    build_pyramid(source, tmp_path / "pyramid", engine=engine)
    with only_image(tmp_path / "pyramid") as image:
        assert close(image.getpixel((32, 24)), BLUE, 20)


def test_transparency_is_laid_on_white(tmp_path, write_source, engine):
    image = Image.new("RGBA", (64, 48), (0, 0, 255, 255))
    image.paste((255, 0, 0, 0), (0, 0, 32, 48))  # left half fully transparent red
    build_pyramid(write_source("cutout.png", image), tmp_path / "rgba", engine=engine)
    with only_image(tmp_path / "rgba") as out:
        assert close(out.getpixel((10, 24)), WHITE) and close(out.getpixel((50, 24)), BLUE)
    grey = Image.new("LA", (64, 48), (0, 255))
    grey.paste((0, 0), (0, 0, 32, 48))
    build_pyramid(write_source("cutout-grey.png", grey), tmp_path / "la", engine=engine)
    with only_image(tmp_path / "la") as out:
        assert close(out.convert("L").getpixel((10, 24)), 255) and close(out.convert("L").getpixel((50, 24)), 0)


def test_palette_and_one_bit_images(tmp_path, write_source, engine):
    palette = quadrants().convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    build_pyramid(write_source("poster.png", palette), tmp_path / "palette", engine=engine)
    with only_image(tmp_path / "palette") as out:
        assert close(out.getpixel((100, 75)), RED) and close(out.getpixel((300, 225)), WHITE)
    transparent = Image.new("P", (64, 48), 0)
    transparent.putpalette([0, 0, 255, 255, 0, 0])
    transparent.paste(1, (0, 0, 32, 48))
    build_pyramid(write_source("sticker.png", transparent, "PNG", transparency=1), tmp_path / "clear", engine=engine)
    with only_image(tmp_path / "clear") as out:
        rgb = out.convert("RGB")
        assert close(rgb.getpixel((10, 24)), WHITE) and close(rgb.getpixel((50, 24)), BLUE)
    bits = Image.new("1", (64, 48), 0)
    bits.paste(1, (0, 0, 32, 48))
    info = build_pyramid(write_source("fax.tif", bits, "TIFF"), tmp_path / "bits", engine=engine)
    assert info.mode == "L"
    with only_image(tmp_path / "bits") as out:
        assert close(out.getpixel((10, 24)), 255) and close(out.getpixel((50, 24)), 0)


def test_both_engines_lay_out_the_same_files(tmp_path, write_source):
    pytest.importorskip("pyvips")
    source = write_source("odd.png", quadrants((1025, 513)))
    listings = []
    for engine in ("pillow", "vips"):
        build_pyramid(source, tmp_path / engine, engine=engine)
        listings.append(sorted(str(p.relative_to(tmp_path / engine)) for p in (tmp_path / engine).rglob("*.*")))
    assert listings[0] == listings[1]
    assert "1024,0,1,513/1,257/0/default.jpg" in listings[0] and "full/257,129/0/default.jpg" in listings[0]


def test_an_unknown_engine_is_refused(tmp_path, validator_image):
    with pytest.raises(ValueError, match="engine"):
        build_pyramid(validator_image, tmp_path / "pyramid", engine="imagemagick")
    assert not os.path.exists(tmp_path / "pyramid")


def test_the_pyramid_folder_is_readable_by_other_users(tmp_path, validator_image):
    build_pyramid(validator_image, tmp_path / "pyramid", engine="pillow")
    assert (tmp_path / "pyramid").stat().st_mode & 0o755 == 0o755
