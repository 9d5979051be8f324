"""People as a resource: listed, looked up, searched and changed like every kind of record,
each value with the passage that states it; a kind added through the registry of kinds."""

from fastapi.testclient import TestClient

from app.queries.entities import BY_NAME
from tests.graphql import data

SLUG = "birzhan-nurymbetov"


def test_the_people_list_and_one_person_with_the_passages_that_state_them(
    each_db_api: TestClient,
) -> None:
    listed = each_db_api.get("/api/v1/people").json()
    assert listed["total"] == len(listed["items"]) >= 1
    assert [p["slug"] for p in listed["items"]] == [SLUG]

    person = each_db_api.get(f"/api/v1/people/{SLUG}").json()

    assert (person["name"], person["position"]) == ("Birzhan Nurymbetov", "Vice Minister")
    assert person["organization"]["slug"] == "kaz-ministry-of-health-care-and-social-development"
    quotes = [source["quote"] for source in person["sources"]]
    assert any("Vice Minister, Birzhan Nurymbetov" in quote for quote in quotes)
    assert set(person["claims"]) >= {"position"}
    for claim in person["claims"]["position"]:
        assert any("Vice Minister" in source["quote"] for source in claim["sources"])


def test_an_unknown_person_is_a_404_problem(sqlite_api: TestClient) -> None:
    answer = sqlite_api.get("/api/v1/people/nobody-at-all")
    assert answer.status_code == 404
    assert answer.json()["kind"] == "person"


def test_graphql_serves_people_as_rest_does(each_db_api: TestClient) -> None:
    found = data(
        each_db_api,
        "query($slug: String!) { people(first: 5) { totalCount nodes { slug } }"
        " person(slug: $slug) { name position organization { slug } sources { quote }"
        ' claims(field: "position") { value } } }',
        {"slug": SLUG},
    )
    rest = each_db_api.get(f"/api/v1/people/{SLUG}").json()
    assert found["people"]["totalCount"] == 1
    assert found["people"]["nodes"] == [{"slug": SLUG}]
    assert found["person"]["name"] == rest["name"]
    assert found["person"]["organization"]["slug"] == rest["organization"]["slug"]
    assert [s["quote"] for s in found["person"]["sources"]] == [s["quote"] for s in rest["sources"]]
    assert [c["value"] for c in found["person"]["claims"]] == [
        c["value"] for c in rest["claims"]["position"]
    ]


def test_search_and_changes_link_to_the_person_from_the_registry(each_db_api: TestClient) -> None:
    hits = each_db_api.get("/api/v1/search?q=Nurymbetov").json()["items"]
    assert [hit["url"] for hit in hits if hit["type"] == "person"] == [f"/api/v1/people/{SLUG}"]
    changes = each_db_api.get("/api/v1/changes?since=2000-01-01T00:00:00Z").json()["items"]
    [added] = [c for c in changes if c["entity"] == "person"]
    assert added["url"] == BY_NAME["person"].url(SLUG) == f"/api/v1/people/{SLUG}"
    links = {link["rel"]: link["href"] for link in each_db_api.get("/").json()["links"]}
    assert links["people"] == "/api/v1/people"
