"""Test images made with Pillow and by hand: flat quadrants to check orientation, an RGB ICC profile
with swapped primaries, a 16-bit RGB TIFF (which Pillow cannot write)."""

import io
import struct

from PIL import Image, ImageCms

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)


def quadrants(size: tuple[int, int] = (400, 300), colours=(RED, GREEN, BLUE, WHITE), mode: str = "RGB") -> Image.Image:
    """Four flat quadrants: top left, top right, bottom left, bottom right."""
    image = Image.new(mode, size)
    w, h = size[0] // 2, size[1] // 2
    for colour, box in zip(colours, [(0, 0, w, h), (w, 0, size[0], h), (0, h, w, size[1]), (w, h, size[0], size[1])]):
        image.paste(colour, box)
    return image


def swapped_primaries_profile() -> bytes:
    """An RGB ICC profile whose red primary is sRGB's blue and vice versa: stored (255, 0, 0) means
    sRGB blue. Made from littleCMS's sRGB profile by swapping two tag offsets."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = struct.unpack(">I", data[128:132])[0]
    entries = {}
    for index in range(count):
        start = 132 + 12 * index
        entries[bytes(data[start : start + 4])] = start
    red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
    data[red + 4 : red + 12], data[blue + 4 : blue + 12] = data[blue + 4 : blue + 12], data[red + 4 : red + 12]
    description = entries[b"desc"]  # not called sRGB any more, or it would be taken for sRGB
    offset, length = struct.unpack(">II", data[description + 4 : description + 12])
    text = (
        data[offset : offset + length]
        .replace(b"sRGB", b"swap")
        .replace("sRGB".encode("utf-16-be"), "swap".encode("utf-16-be"))
    )
    data[offset : offset + length] = text
    return bytes(data)


def rgb16_tiff(width: int, height: int, pixel: tuple[int, int, int]) -> bytes:
    """An uncompressed 16-bit-per-channel RGB TIFF of one colour (Pillow cannot write one)."""
    raw = struct.pack("<3H", *pixel) * (width * height)
    entries = [
        (256, 3, 1, width),
        (257, 3, 1, height),
        (258, 3, 3, 0),
        (259, 3, 1, 1),
        (262, 3, 1, 2),
        (273, 4, 1, 0),
        (277, 3, 1, 3),
        (278, 3, 1, height),
        (279, 4, 1, len(raw)),
        (284, 3, 1, 1),
    ]
    ifd_size = 2 + 12 * len(entries) + 4
    bits_offset = 8 + ifd_size
    data_offset = bits_offset + 6
    out = bytearray(b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", len(entries)))
    for tag, kind, count, value in entries:
        value = {258: bits_offset, 273: data_offset}.get(tag, value)
        packed = struct.pack("<HH", value, 0) if kind == 3 and count == 1 else struct.pack("<I", value)
        out += struct.pack("<HHI", tag, kind, count) + packed
    out += struct.pack("<I", 0) + struct.pack("<3H", 16, 16, 16) + raw
    return bytes(out)


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()
