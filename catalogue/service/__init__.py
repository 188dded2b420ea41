"""The catalogue's rules: who may read and write what, upserts with revisions, withdrawal, images,
museums, curator tokens and curated themes.

Every write names an ``Actor`` and a museum, runs in one transaction, and writes its audit entry
and index outbox entry in that same transaction. Every read names who is reading, so drafts and
withdrawn records stay private. Views, the CLI and the importer call these methods only; nothing
above this module touches the store or the media folder.
"""

from catalogue.service.accounts import AccountRules
from catalogue.service.activity import ActivityRules
from catalogue.service.base import Outcome
from catalogue.service.bulk import BulkUploadRules
from catalogue.service.curation import CurationRules
from catalogue.service.exports import ExportRules
from catalogue.service.images import ImageFile, PublicImage
from catalogue.service.membership import MembershipRules
from catalogue.service.museums import MuseumPage, MuseumRules
from catalogue.service.oai import OaiRules
from catalogue.service.records import RecordRules, content_hash, validate_record
from catalogue.service.sitemaps import SitemapRules
from catalogue.service.themes import ThemeEntry, ThemeRules, ThemeView
from catalogue.service.tokens import TokenRules

__all__ = [
    "CatalogueService",
    "ImageFile",
    "MuseumPage",
    "Outcome",
    "PublicImage",
    "ThemeEntry",
    "ThemeView",
    "content_hash",
    "validate_record",
]


class CatalogueService(
    RecordRules,
    MuseumRules,
    TokenRules,
    AccountRules,
    MembershipRules,
    CurationRules,
    BulkUploadRules,
    ThemeRules,
    OaiRules,
    ActivityRules,
    SitemapRules,
    ExportRules,
):
    """The one service: records (with their images and images named by URL), museums, tokens,
    accounts and curated themes, each part in its own module of this package."""
