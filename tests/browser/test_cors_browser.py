"""Another site's scripts read our public data in a real browser, including the reads a browser
checks first with a preflight (IIIF's Accept profile, revalidation, a token); writes stay ours."""

from urllib.parse import urlparse

PRESENTATION_ACCEPT = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
READS = """async ([base, id, accept]) => {
  const read = async (url, headers) => {
    try { const r = await fetch(url, {headers}); return [r.status, r.headers.get("etag") !== null]; }
    catch (error) { return [String(error), false]; }
  };
  const record = await (await fetch(`${base}/api/objects/${id}`)).json();
  return {
    manifest: await read(`${base}/iiif/3/objects/${id}/manifest`, {Accept: accept}),
    search: await read(`${base}/api/objects?q=wave`, {"If-None-Match": '"an-old-tag"'}),
    missing: await read(`${base}/iiif/3/objects/no-such-object/manifest`, {Accept: accept}),
    write: await fetch(`${base}/api/museums/${record.museum}/objects/${encodeURIComponent(record.local_id)}`,
      {method: "PUT", body: "{}",
      headers: {"Content-Type": "application/json", Authorization: "Bearer x"}})
      .then(r => r.status, error => String(error)),
  };
}"""


def test_another_site_reads_manifests_and_search_but_cannot_write(page, live_server, demo_image, other_origin):
    record_id, _ = demo_image("hokusai_great-wave")
    portal = other_origin("<!doctype html><title>A portal</title><p>Our collection</p>")
    assert urlparse(portal).port != urlparse(live_server).port  # another origin
    page.goto(portal)
    answers = page.evaluate(READS, [live_server, record_id, PRESENTATION_ACCEPT])
    assert answers["manifest"] == [200, True]  # the read and its ETag, to revalidate with
    assert answers["search"] == [200, True]
    assert answers["missing"] == [404, False]  # the error itself, not a network failure
    assert "TypeError" in answers["write"]  # the browser refuses: writes are not offered to other sites
