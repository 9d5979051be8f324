"""A page on another origin POSTs a GraphQL query to the API with fetch(), in headless Chromium."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser import offline_page

# A system test (a live server, a browser, a fuzzer or the Docker files): `-m "not slow"` skips it.
pytestmark = pytest.mark.slow

QUERY = '{ event(slug: "second-som-2015") { title city } }'

# The page asks as a third-party client would: JSON body (so the browser sends a preflight),
# the GraphQL-over-HTTP Accept; then once more with credentials, which the API does not allow.
PAGE = """<!doctype html>
<html><body><pre id="result"></pre><script>
const api = %(api)s;
async function run() {
  const response = await fetch(api + "/graphql", {
    method: "POST",
    headers: {"Content-Type": "application/json",
              "Accept": "application/graphql-response+json"},
    body: JSON.stringify({query: %(query)s}),
  });
  const answer = {status: response.status, type: response.headers.get("content-type"),
                  body: await response.json()};
  try {
    await fetch(api + "/graphql", {method: "POST", credentials: "include",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify({query: %(query)s})});
    answer.withCredentials = "allowed";
  } catch (error) {
    answer.withCredentials = "refused";
  }
  return answer;
}
run().then(
  (answer) => { document.getElementById("result").textContent = JSON.stringify(answer); },
  (error) => { document.getElementById("result").textContent = "failed: " + error; });
</script></body></html>
"""


@pytest.fixture
def other_origin(sqlite_live_server: str) -> Iterator[str]:
    """A loopback web server on a port of its own serving PAGE: another origin than the API."""
    page = PAGE % {"api": json.dumps(sqlite_live_server), "query": json.dumps(QUERY)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the test output quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_page_on_another_origin_posts_a_graphql_query(
    sqlite_live_server: str, other_origin: str
) -> None:
    assert other_origin != sqlite_live_server
    with offline_page(real_cors=True) as (page, offline):
        page.goto(f"{other_origin}/")
        result = page.locator("#result")
        result.filter(has_text="status").or_(result.filter(has_text="failed")).wait_for(
            timeout=15000
        )
        text = result.inner_text()
        assert not text.startswith("failed"), text  # a refused preflight: "Failed to fetch"
        answer = json.loads(text)

    assert answer["status"] == 200
    assert answer["type"] == "application/graphql-response+json"
    assert answer["body"]["data"]["event"]["city"] == "Astana"
    assert answer["withCredentials"] == "refused"
    assert offline.blocked == []
