"""A TypeScript client as its users make one: openapi-typescript over /openapi.json, then calls
through openapi-fetch type-checked by `tsc --strict`. Each operation's answer must come out as
one type a program can use (`getEvent` was `{}` while it also offered untyped JSON-LD)."""

import json
import subprocess
from pathlib import Path

import pytest

from app.main import app

# A system test (node and the npm packages of clients/typescript): `-m "not slow"` skips it.
pytestmark = pytest.mark.slow

CLIENT = Path(__file__).resolve().parent.parent / "clients" / "typescript"
BIN = CLIENT / "node_modules" / ".bin"

USES = """
import createClient from "openapi-fetch";
import type { paths } from "./schema";

const client = createClient<paths>({ baseUrl: "http://127.0.0.1:8000" });
const event = { params: { path: { slug: "second-som-2015" } } };

export async function read(): Promise<string[]> {
  const { data, error } = await client.GET("/api/v1/events/{slug}", event);
  if (error) {
    const detail: string = error.detail;
    throw new Error(detail);
  }
  const title: string = data.title;
  const quotes: string[] = data.sources.map((source) => source.quote);
  const linked = await client.GET("/api/v1/events/{slug}.jsonld", event);
  if (linked.data === undefined) throw new Error("no JSON-LD");
  const kind: "Event" = linked.data["@type"];
  const name: string = linked.data.name;
  const page = await client.GET("/api/v1/events", { params: { query: { country: "KAZ" } } });
  const slugs: string[] = (page.data?.items ?? []).map((item) => item.slug);
  return [title, ...quotes, kind, name, ...slugs];
}
"""
# The control: the same checker must refuse a program that misreads a field's type.
MISUSE = """
import createClient from "openapi-fetch";
import type { paths } from "./schema";

const client = createClient<paths>({ baseUrl: "http://127.0.0.1:8000" });

export async function misread(): Promise<number> {
  const { data } = await client.GET("/api/v1/events/{slug}", {
    params: { path: { slug: "second-som-2015" } },
  });
  const title: number = data!.title;
  return title;
}
"""


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _check(folder: Path, program: str) -> subprocess.CompletedProcess[str]:
    (folder / "uses.ts").write_text(program)
    config = {
        "compilerOptions": {
            "strict": True,
            "noEmit": True,
            "target": "es2022",
            "module": "esnext",
            "moduleResolution": "bundler",
            "skipLibCheck": True,
            "baseUrl": ".",
            "paths": {"openapi-fetch": [str(CLIENT / "node_modules" / "openapi-fetch")]},
        },
        "files": ["uses.ts"],
    }
    (folder / "tsconfig.json").write_text(json.dumps(config))
    return _run(BIN / "tsc", "-p", folder / "tsconfig.json", cwd=folder)


def test_a_generated_typescript_client_types_every_answer(tmp_path: Path) -> None:
    assert (BIN / "tsc").exists(), "run `npm ci --prefix clients/typescript` (make check does)"
    (tmp_path / "openapi.json").write_text(json.dumps(app.openapi()))

    generated = _run(BIN / "openapi-typescript", "openapi.json", "-o", "schema.d.ts", cwd=tmp_path)
    assert generated.returncode == 0, generated.stderr

    used = _check(tmp_path, USES)
    assert used.returncode == 0, used.stdout + used.stderr

    misused = _check(tmp_path, MISUSE)
    assert misused.returncode != 0
    assert "Type 'string' is not assignable to type 'number'" in misused.stdout
