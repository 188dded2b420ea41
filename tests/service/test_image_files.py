"""The stored files of images: an original is anyone's only when the museum opened the image for
reuse; any other original is its museum's curators' and the secretariat's. Thumbnails stay public."""

import pytest

from catalogue.cli import cli_actor
from catalogue.errors import Forbidden, NotFound
from catalogue.models import Actor
from tests.support import IN_COPYRIGHT, image_bytes, image_of, record_payload

CURATOR = Actor(name="Ada Curator", role="curator", museum="tate")
OTHER_CURATOR = Actor(name="Bo Curator", role="curator", museum="rijks")
SECRETARIAT = Actor(name="Sam Admin", role="admin")


def test_the_original_of_an_image_open_for_reuse_is_public(service, open_image):
    original = service.image_file(open_image, "original")
    assert original.mime == "image/jpeg" and original.path.read_bytes() == image_bytes()


def test_the_original_of_an_image_not_open_for_reuse_is_refused_to_the_public(service, restricted_image):
    with pytest.raises(Forbidden) as refused:
        service.image_file(restricted_image, "original")
    assert "has not opened this image for reuse" in str(refused.value)
    assert service.image_file(restricted_image, "thumbnail").mime == "image/jpeg"  # derivatives stay public


@pytest.mark.parametrize(
    "rights",
    [
        {"metadata_license": "CC0", "image_rights": "CC BY-NC 4.0"},  # not for every use
        {"metadata_license": "CC0"},  # no image rights stated: nothing was opened
    ],
)
def test_only_rights_the_object_page_offers_for_download_make_an_original_public(service, museum, rights):
    from catalogue.views.object_page import open_for_download

    image_id = image_of(service, "R1", rights=rights)
    assert not open_for_download(service.record_by_local_id("tate", "R1"))
    with pytest.raises(Forbidden):
        service.image_file(image_id, "original")


def test_opening_the_image_later_makes_its_original_public(service, restricted_image):
    service.upsert(cli_actor(), "tate", record_payload("INC", rights={"image_rights": "CC0"}))
    assert service.image_file(restricted_image, "original").mime == "image/jpeg"


def test_the_museums_curators_and_the_secretariat_get_any_original_back(service, restricted_image, make_museum):
    make_museum("rijks", country="NL")
    for actor in (CURATOR, SECRETARIAT):
        assert service.curated_image_file(actor, restricted_image, "original").path.read_bytes() == image_bytes()
    with pytest.raises(Forbidden):
        service.curated_image_file(OTHER_CURATOR, restricted_image, "original")


def test_a_drafts_original_is_its_curators_only(service, museum):
    image_id = image_of(service, "D1", status="draft", rights=IN_COPYRIGHT)
    with pytest.raises(NotFound):
        service.image_file(image_id, "original")
    assert service.curated_image_file(CURATOR, image_id, "original").mime == "image/jpeg"
