"""The process, states, organisations, documents and sources endpoints."""

import hashlib

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SEED_DIR
from tests.rest import all_pages

MEMBERS = ["AFG", "AZE", "KAZ", "KGZ", "TJK", "TKM", "TUR"]


def test_the_process(each_db_api: TestClient) -> None:
    process = each_db_api.get("/api/v1/process").json()

    assert process["name"] == "Almaty Process on Refugee Protection and International Migration"
    assert (process["initiated"], process["initiated_on"]) == (2011, "2011")
    assert process["launched_on"] == "2013-06-05"
    assert process["chair"] == {"code": "KAZ", "name": "Kazakhstan"}
    assert [s["slug"] for s in process["secretariat"]] == ["iom", "unhcr"]
    assert process["secretariat_function"]
    assert sorted(m["code"] for m in process["members"]) == MEMBERS
    assert sorted(o["code"] for o in process["observers"]) == ["IRN", "PAK"]
    initiators = {
        (i["state"] or {}).get("code") or i["organization"]["slug"] for i in process["initiators"]
    }
    assert initiators == {"KAZ", "iom", "unhcr"}
    assert [o["number"] for o in process["objectives"]] == [1, 2, 3, 4, 5]
    assert len(process["key_areas"]) == 7
    assert all(o["sources"] for o in process["objectives"] + process["key_areas"])
    assert process["sources"]


def test_processes_and_one_process(each_db_api: TestClient) -> None:
    listed = [p["slug"] for p in all_pages(each_db_api, "/api/v1/processes?limit=2")]
    assert set(listed) == {
        "almaty-process",
        "prague-process",
        "budapest-process",
        "puebla-process",
        "bali-process",
    }
    budapest = each_db_api.get("/api/v1/processes/budapest-process").json()
    assert [s["slug"] for s in budapest["secretariat"]] == ["icmpd"]
    assert budapest["members"] == []
    assert each_db_api.get("/api/v1/processes/nowhere-process").status_code == 404
    assert (
        each_db_api.get("/api/v1/process").json()
        == each_db_api.get("/api/v1/processes/almaty-process").json()
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [("role=member", MEMBERS), ("role=observer", ["IRN", "PAK"])],
)
def test_states_by_role(each_db_api: TestClient, query: str, expected: list[str]) -> None:
    items = each_db_api.get(f"/api/v1/states?{query}").json()["items"]
    assert [s["code"] for s in items] == expected
    assert {s["role"] for s in items} == {query.removeprefix("role=")}


def test_all_states_with_their_role_or_none(each_db_api: TestClient) -> None:
    states = all_pages(each_db_api, "/api/v1/states?limit=4")
    roles = {s["code"]: s["role"] for s in states}
    assert roles["KAZ"] == "member"
    assert roles["CHN"] is None
    assert len(states) == 15
    kyrgyz = next(s for s in states if s["code"] == "KGZ")
    assert kyrgyz == {
        "code": "KGZ",
        "name": "Kyrgyzstan",
        "official_name": "Kyrgyz Republic",
        "role": "member",
    }


def test_a_state_with_its_events_and_roles(each_db_api: TestClient) -> None:
    state = each_db_api.get("/api/v1/states/tkm").json()

    assert state["code"] == "TKM"
    assert state["alpha2"] == "TM"
    events = {e["event"]["slug"]: set(e["roles"]) for e in state["events"]}
    assert {"co_organizer", "host", "funder"} <= events[
        "regional-forum-emergency-preparedness-2015"
    ]
    assert "member_state" in events["second-som-2015"]
    assert {r["role"] for r in state["process_roles"]} == {"member"}
    assert state["sources"]
    assert each_db_api.get("/api/v1/states/XXX").status_code == 404


def test_organizations_by_kind_and_text(each_db_api: TestClient) -> None:
    agencies = each_db_api.get("/api/v1/organizations?kind=un_agency").json()["items"]
    assert {o["slug"] for o in agencies} >= {"unhcr", "undp"}
    assert {o["kind"] for o in agencies} == {"un_agency"}
    found = each_db_api.get("/api/v1/organizations?q=iom").json()["items"]
    assert {o["slug"] for o in found} >= {"iom", "iom-sub-regional-office-central-asia"}
    office = next(o for o in found if o["slug"] == "iom-sub-regional-office-central-asia")
    assert office["parent"] == {
        "slug": "iom",
        "acronym": "IOM",
        "name": "International Organization for Migration",
    }
    names = [o["name"] for o in all_pages(each_db_api, "/api/v1/organizations?limit=5")]
    assert len(names) == 24


def test_names_prefer_the_official_and_keep_the_document_s_as_aliases(
    each_db_api: TestClient,
) -> None:
    turkey = each_db_api.get("/api/v1/states/TUR").json()
    assert (turkey["name"], turkey["aliases"]) == ("Türkiye", ["Republic of Turkey", "Turkey"])
    [name] = turkey["claims"]["name"]
    assert (name["rank"], name["basis"]) == ("preferred", "interpretation")
    [alias] = [c for c in turkey["claims"]["aliases"] if c["value"] == "Turkey"]
    assert alias["basis"] == "stated"
    assert alias["sources"]
    unrcca = each_db_api.get("/api/v1/organizations/unrcca").json()
    assert "Centre" in unrcca["name"]
    assert (
        "United Nations Regional Center for Preventive Diplomacy for Central Asia"
        in (unrcca["aliases"])
    )
    usaid = each_db_api.get("/api/v1/organizations/usaid").json()
    assert (usaid["acronym"], usaid["aliases"]) == ("USAID", ["OFDA/USAID"])
    commission = each_db_api.get("/api/v1/organizations/european-commission").json()
    assert commission["parent"]["slug"] == "eu"
    assert commission["claims"]["parent"][0]["basis"] == "interpretation"
    office = each_db_api.get("/api/v1/organizations/iom-sub-regional-office-central-asia").json()
    assert office["country"]["code"] == "KAZ"
    assert office["claims"]["country"][0]["basis"] == "stated"


def test_an_organization_with_its_events_by_role(each_db_api: TestClient) -> None:
    iom = each_db_api.get("/api/v1/organizations/iom").json()

    assert {c["slug"] for c in iom["children"]} == {
        "iom-sub-regional-office-central-asia",
        "iom-development-fund",
    }
    assert {r["role"] for r in iom["process_roles"]} == {"initiator", "secretariat"}
    by_role = {group["role"]: {e["slug"] for e in group["events"]} for group in iom["events"]}
    assert "regional-training-drr-mcof-2015" in by_role["organizer"]
    assert "first-regional-conference-2011" in by_role["co_organizer"]
    assert each_db_api.get("/api/v1/organizations/no-such-body").status_code == 404


def test_documents_by_kind(each_db_api: TestClient) -> None:
    reports = each_db_api.get("/api/v1/documents?kind=report").json()["items"]
    assert {d["kind"] for d in reports} == {"report"}
    assert "mapping-irregular-migration-central-asia-2014" in {d["slug"] for d in reports}
    declaration = next(
        d
        for d in all_pages(each_db_api, "/api/v1/documents?limit=5")
        if d["slug"] == "almaty-declaration"
    )
    assert declaration["date"] == "2011-03"
    assert declaration["status"] == "adopted"


def test_a_planned_law_is_not_an_existing_one(each_db_api: TestClient) -> None:
    planned = each_db_api.get("/api/v1/documents?status=planned").json()["items"]
    assert [d["slug"] for d in planned] == ["law-inclusion-of-ngos-in-policy-making"]
    law = each_db_api.get("/api/v1/documents/law-inclusion-of-ngos-in-policy-making").json()
    assert (law["kind"], law["status"], law["date"]) == ("law", "planned", "2016-01")
    # The document gives the law no title: the one shown is its words, and a note says so.
    [title] = law["claims"]["title"]
    assert title["basis"] == "stated"
    assert "names no title" in title["note"]
    assert "a new law on the inclusion of NGOs" in " ".join(title["sources"][0]["quote"].split())
    [status] = law["claims"]["status"]
    assert "will be passed by January 2016" in status["sources"][0]["quote"]


def test_a_document_with_its_parts_events_and_relations(each_db_api: TestClient) -> None:
    framework = each_db_api.get("/api/v1/documents/regional-cooperation-framework").json()
    assert [p["number"] for p in framework["parts"]] == [1, 2, 3, 4]
    assert framework["parts"][0]["text"].startswith("Managing Borders")
    assert {
        (r["relation"], r["direction"], r["document"]["slug"]) for r in framework["relations"]
    } >= {("complements", "incoming", "regional-action-plan")}
    modalities = each_db_api.get("/api/v1/documents/operating-modalities").json()
    assert [p["kind"] for p in modalities["parts"]] == ["objective"] * 5
    declaration = each_db_api.get("/api/v1/documents/almaty-declaration").json()
    assert {(e["relation"], e["event"]["slug"]) for e in declaration["events"]} == {
        ("adopted_at", "first-regional-conference-2011")
    }
    assert each_db_api.get("/api/v1/documents/no-such-document").status_code == 404


def test_sources_with_hash_and_coverage(each_db_api: TestClient) -> None:
    [source] = each_db_api.get("/api/v1/sources").json()["items"]
    raw = (SEED_DIR / "almaty-process.txt").read_bytes()
    assert source["sha256"] == hashlib.sha256(raw).hexdigest()
    assert source["coverage"]["cited"] == source["coverage"]["sentences"] > 100
    assert source["citation_count"] > 300
    # Most claims are checked against a quote; the rest are interpretations with reasons.
    claims = source["claims"]
    assert claims["stated"] + claims["interpretations"] == claims["total"] > 300
    assert 0 < claims["interpretations"] < claims["total"] / 10
    assert claims["percent"] == round(100 * claims["stated"] / claims["total"], 1)
    detail = each_db_api.get("/api/v1/sources/almaty-process").json()
    assert detail["text"] == raw.decode("utf-8")
    assert detail["uncited"] == []
    assert each_db_api.get("/api/v1/sources/elsewhere").status_code == 404
