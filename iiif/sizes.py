"""The fixed sizes every image gets at upload, shared by the pyramid builder, info.json, manifests
and the pages' ``srcset``: the whole image scaled to fit a square box, never enlarged."""

THUMBNAIL_BOX = 400
DERIVATIVE_BOXES = (THUMBNAIL_BOX, 800, 1600)


def fit_in_box(width: int, height: int, box: int) -> tuple[int, int]:
    """The size of a ``width`` x ``height`` image scaled to fit ``box`` x ``box`` (IIIF ``!box,box``),
    never upscaled, never below one pixel on a side."""
    if width <= box and height <= box:
        return width, height
    scale = box / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def derivative_sizes(width: int, height: int) -> list[tuple[int, int]]:
    """The distinct fixed sizes of an image, smallest first (a small image has fewer)."""
    sizes: list[tuple[int, int]] = []
    for box in DERIVATIVE_BOXES:
        size = fit_in_box(width, height, box)
        if size not in sizes:
            sizes.append(size)
    return sizes
