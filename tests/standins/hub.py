"""A stand-in for the Hugging Face Hub: the endpoints huggingface_hub 2.x calls, shaped like the real ones.

  GET  /api/{models|datasets}/{id}[/revision/{rev}]   ?securityStatus=true &blobs=true    (model_info / dataset_info)
  GET  /api/{models|datasets}/{id}/refs[?include_prs=1]                                 (list_repo_refs)
  GET  /api/{models|datasets}/{id}/tree/{rev}[/{path}]?recursive=true&cursor=N          (list_repo_tree, Link-paginated)
  GET|HEAD /{id}/resolve/{rev}/{path}, /datasets/{id}/resolve/{rev}/{path}              (hf_hub_download, file metadata)

Repositories come from tests/standins/data/hub/{models,datasets}/{org}/{name}/repo.json (+ files/). A file
is {"file": "files/-relative path" or "@repo-root path"}, {"text": ...}, {"lfs": {sha256, size}} (listed
with its pointer's blob id, resolved by a redirect to a CDN host, never served), {"generate": {bytes,
head}} or {"missing": true} (listed, but 404 when fetched: a lying listing). Card data is the README's
YAML front matter unless repo.json has "card_data". Errors carry X-Error-Code / X-Error-Message as the
Hub's do: RepoNotFound (401 anonymous, 404 with a token), RevisionNotFound, EntryNotFound, GatedRepo
(401 anonymous, 403 without access), and 403 "Access to this resource is disabled.".
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ruamel.yaml import YAML

from .base import Reply, Request, StandinServer

DATA = Path(__file__).resolve().parent / "data"
REPO_ROOT = Path(__file__).resolve().parents[2]
CDN = "http://127.0.0.9:9/cdn-lfs"  # where LFS files redirect to: another host, never fetched
PAGE = 1000


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


def lfs_pointer(sha256: str, size: int) -> bytes:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()


def front_matter(text: str) -> dict[str, Any]:
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---", 4)
    if end < 0:
        return {}
    data = YAML(typ="safe").load(text[4:end])
    return json.loads(json.dumps(data, default=str)) if isinstance(data, dict) else {}


class HubRepo:
    def __init__(self, spec: dict[str, Any], repo_type: str, folder: Path | None) -> None:
        self.spec = spec
        self.id: str = spec["id"]
        self.type = repo_type
        self.folder = folder
        self.current = 0  # index into revisions; `move()` advances it

    @property
    def revisions(self) -> list[dict[str, Any]]:
        return self.spec["revisions"]

    def rev(self) -> dict[str, Any]:
        return self.revisions[self.current]

    @property
    def sha(self) -> str:
        return self.rev()["sha"]

    def resolve(self, rev: str) -> dict[str, Any] | None:
        """The revision record a branch, tag or sha names (a checkpoint branch shares the files of main)."""
        if rev in ("main", self.sha):
            return self.rev()
        for r in self.revisions:
            if r["sha"] == rev:
                return r
        target = {**self.spec.get("branches", {}), **self.spec.get("tags", {})}.get(rev)
        if target is None and len(rev) == 40 and rev in self.spec.get("branches", {}).values():
            target = rev
        if target is None:
            return None
        return next((r for r in self.revisions if r["sha"] == target), {**self.rev(), "sha": target})

    def content(self, entry: dict[str, Any]) -> bytes | None:
        if "text" in entry:
            return entry["text"].encode()
        if "file" in entry:
            f = entry["file"]
            path = REPO_ROOT / f[1:] if f.startswith("@") else (self.folder / "files" / f)  # type: ignore[operator]
            return path.read_bytes()
        if "generate" in entry:
            g = entry["generate"]
            head = g.get("head", "").encode()
            line = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n"
            body = (line * (g["bytes"] // len(line) + 1))[: max(0, g["bytes"] - len(head))]
            return head + body
        return None

    def files(self, rev: dict[str, Any]) -> dict[str, dict[str, Any]]:
        out = dict(rev.get("files", {}))
        gen = rev.get("generate_files")
        if gen:
            for i in range(gen["count"]):
                out[gen["pattern"].format(i)] = {"text": "x" * 8, "size": gen["size"]}
        return out

    def meta(self, path: str, entry: dict[str, Any]) -> dict[str, Any]:
        """size, blob id and LFS info of one file, as the Hub lists it."""
        if "lfs" in entry:
            lfs = entry["lfs"]
            pointer = lfs_pointer(lfs["sha256"], lfs["size"])
            return {"size": lfs["size"], "blobId": git_blob_id(pointer), "lfs": {"sha256": lfs["sha256"], "size": lfs["size"], "pointerSize": len(pointer)}}
        if entry.get("missing"):
            return {"size": 1234, "blobId": git_blob_id(path.encode())}
        data = self.content(entry) or b""
        return {"size": entry.get("size", len(data)), "blobId": git_blob_id(data)}

    def card_data(self, rev: dict[str, Any]) -> dict[str, Any]:
        if "card_data" in self.spec:
            return copy.deepcopy(self.spec["card_data"])
        readme = self.content(self.files(rev).get("README.md") or {})
        text = readme.decode("utf-8", "replace") if readme else ""
        return front_matter(text)


class HubServer(StandinServer):
    def __init__(self, host: str = "127.0.0.1", data: Path = DATA / "hub") -> None:
        super().__init__(host)
        self.repos: dict[tuple[str, str], HubRepo] = {}
        for repo_type, plural in (("model", "models"), ("dataset", "datasets")):
            for spec_path in sorted((data / plural).glob("*/*/repo.json")):
                spec = json.loads(spec_path.read_text("utf-8"))
                self.repos[(repo_type, spec["id"])] = HubRepo(spec, repo_type, spec_path.parent)

    # scripting
    def repo(self, repo_id: str, repo_type: str = "model") -> HubRepo:
        return self.repos[(repo_type, repo_id)]

    def add(self, spec: dict[str, Any], repo_type: str = "model") -> HubRepo:
        r = HubRepo(spec, repo_type, None)
        self.repos[(repo_type, spec["id"])] = r
        return r

    def move(self, repo_id: str, repo_type: str = "model") -> str:
        """Advance the repository to its next revision (a stale lock); the new head sha."""
        r = self.repo(repo_id, repo_type)
        r.current = min(r.current + 1, len(r.revisions) - 1)
        return r.sha

    # routing
    def route(self, req: Request) -> Reply:
        parts = [unquote(p) for p in req.path.split("/")[1:]]
        if parts[:1] == ["api"] and len(parts) >= 4 and parts[1] in ("models", "datasets"):
            return self._api(req, "model" if parts[1] == "models" else "dataset", parts[2] + "/" + parts[3], parts[4:])
        if parts[:1] == ["datasets"] and len(parts) >= 6 and parts[3] == "resolve":
            return self._resolve(req, "dataset", parts[1] + "/" + parts[2], parts[4], "/".join(parts[5:]))
        if len(parts) >= 5 and parts[2] == "resolve":
            return self._resolve(req, "model", parts[0] + "/" + parts[1], parts[3], "/".join(parts[4:]))
        return Reply.json({"error": "Not Found"}, 404)

    def _token(self, req: Request) -> str | None:
        auth = req.headers.get("authorization", "")
        return auth[7:] if auth.lower().startswith("bearer ") else None

    @staticmethod
    def _error(status: int, code: str | None, message: str) -> Reply:
        headers = {"X-Error-Message": message}
        if code:
            headers["X-Error-Code"] = code
        return Reply.json({"error": message}, status, headers)

    def _access(self, req: Request, repo: HubRepo | None) -> Reply | None:
        token = self._token(req)
        if repo is None or (repo.spec.get("private") and token not in repo.spec.get("granted", [])):
            if token is None:
                return self._error(401, "RepoNotFound", "Repository not found")
            return self._error(404, "RepoNotFound", "Repository not found")
        if repo.spec.get("disabled"):
            return self._error(403, None, "Access to this resource is disabled.")
        return None

    def _api(self, req: Request, repo_type: str, repo_id: str, rest: list[str]) -> Reply:
        repo = self.repos.get((repo_type, repo_id))
        denied = self._access(req, repo)
        if denied is not None:
            return denied
        assert repo is not None
        if not rest or rest[0] == "revision":
            rev = repo.resolve("/".join(rest[1:])) if rest else repo.rev()
            if rev is None:
                return self._error(404, "RevisionNotFound", "Invalid rev id")
            return Reply.json(self._info(req, repo, rev))
        if rest == ["refs"]:
            return Reply.json(self._refs(req, repo))
        if rest[0] == "tree" and len(rest) >= 2:
            rev = repo.resolve(rest[1])
            if rev is None:
                return self._error(404, "RevisionNotFound", "Invalid rev id")
            return self._tree(req, repo, rev, "/".join(rest[2:]))
        return Reply.json({"error": "Not Found"}, 404)

    @staticmethod
    def _flag(req: Request, name: str) -> bool:
        return (req.query.get(name) or [""])[0].lower() in ("true", "1")

    def _info(self, req: Request, repo: HubRepo, rev: dict[str, Any]) -> dict[str, Any]:
        s = repo.spec
        card = repo.card_data(rev)
        blobs = self._flag(req, "blobs")
        siblings = []
        for path, entry in repo.files(rev).items():
            sib: dict[str, Any] = {"rfilename": path}
            if blobs:
                sib.update(repo.meta(path, entry))
            siblings.append(sib)
        info: dict[str, Any] = {
            "_id": hashlib.md5(repo.id.encode()).hexdigest()[:24],
            "id": repo.id,
            "author": s.get("author"),
            "sha": rev["sha"],
            "lastModified": rev.get("last_modified"),
            "createdAt": s.get("created_at"),
            "private": bool(s.get("private")),
            "gated": s.get("gated", False),
            "disabled": bool(s.get("disabled")),
            "downloads": 1234,
            "likes": 56,
            "tags": s.get("tags", []),
            "cardData": card,
            "siblings": siblings,
            "usedStorage": sum(repo.meta(p, e)["size"] for p, e in repo.files(rev).items() if "lfs" in e),
        }
        if repo.type == "model":
            info.update({"modelId": repo.id, "pipeline_tag": s.get("pipeline_tag"), "library_name": s.get("library_name"), "spaces": [], "config": {}})
            if "model-index" in card:
                info["model-index"] = card["model-index"]
            if s.get("safetensors"):
                info["safetensors"] = s["safetensors"]
            if self._flag(req, "securityStatus"):
                info["securityRepoStatus"] = s.get("security", {"scansDone": True, "filesWithIssues": []})
        else:
            info.update({"citation": s.get("citation"), "description": s.get("description"), "paperswithcode_id": None})
        info.update(s.get("info_extra", {}))
        return info

    def _refs(self, req: Request, repo: HubRepo) -> dict[str, Any]:
        s = repo.spec

        def ref(name: str, kind: str, target: str) -> dict[str, Any]:
            return {"name": name, "ref": f"refs/{kind}/{name}", "targetCommit": target}

        out = {
            "branches": [ref("main", "heads", repo.sha)] + [ref(n, "heads", t) for n, t in s.get("branches", {}).items()],
            "converts": [],
            "tags": [ref(n, "tags", t) for n, t in s.get("tags", {}).items()],
        }
        if self._flag(req, "include_prs"):
            out["pullRequests"] = []
        return out

    def _tree(self, req: Request, repo: HubRepo, rev: dict[str, Any], under: str) -> Reply:
        recursive = self._flag(req, "recursive")
        prefix = under.strip("/") + "/" if under.strip("/") else ""
        entries, dirs = [], set()
        for path, entry in sorted(repo.files(rev).items()):
            if not path.startswith(prefix):
                continue
            rel = path[len(prefix) :]
            parts = rel.split("/")
            for i in range(1, len(parts)):
                d = prefix + "/".join(parts[:i])
                if (recursive or i == 1) and d not in dirs:
                    dirs.add(d)
                    entries.append({"type": "directory", "oid": git_blob_id(d.encode()), "size": 0, "path": d})
            if recursive or len(parts) == 1:
                m = repo.meta(path, entry)
                e = {"type": "file", "oid": m["blobId"], "size": m["size"], "path": path}
                if "lfs" in m:
                    e["lfs"] = {"oid": m["lfs"]["sha256"], "size": m["lfs"]["size"], "pointerSize": m["lfs"]["pointerSize"]}
                entries.append(e)
        start = int((req.query.get("cursor") or ["0"])[0])
        page = entries[start : start + PAGE]
        headers = {}
        if start + PAGE < len(entries):
            q = "&".join(f"{k}={v[0]}" for k, v in req.query.items() if k != "cursor")
            headers["Link"] = f'<{self.url}{req.path}?{q}&cursor={start + PAGE}>; rel="next"'
        return Reply.json(page, headers=headers)

    def _resolve(self, req: Request, repo_type: str, repo_id: str, rev_name: str, path: str) -> Reply:
        repo = self.repos.get((repo_type, repo_id))
        denied = self._access(req, repo)
        if denied is not None:
            return denied
        assert repo is not None
        rev = repo.resolve(rev_name)
        if rev is None:
            return self._error(404, "RevisionNotFound", "Invalid rev id")
        entry = repo.files(rev).get(path)
        if entry is None or entry.get("missing"):
            return self._error(404, "EntryNotFound", f'{path} does not exist on "{rev_name}"')
        gated = repo.spec.get("gated")
        if gated and path not in repo.spec.get("ungated", [".gitattributes", "README.md"]):
            token = self._token(req)
            if token not in repo.spec.get("granted", []):
                msg = f"Access to model {repo.id} is restricted. You must have access to it and be authenticated to access it."
                return self._error(401 if token is None else 403, "GatedRepo", msg)
        m = repo.meta(path, entry)
        headers = {"X-Repo-Commit": rev["sha"], "Accept-Ranges": "bytes"}
        if "lfs" in m:
            headers.update(
                {
                    "ETag": f'"{m["lfs"]["sha256"]}"',
                    "X-Linked-Size": str(m["size"]),
                    "X-Linked-ETag": f'"{m["lfs"]["sha256"]}"',
                    "Location": f"{CDN}/{m['lfs']['sha256']}",
                }
            )
            return Reply(302, b"", headers, "text/plain")
        headers["ETag"] = f'"{m["blobId"]}"'
        return Reply(200, repo.content(entry) or b"", headers, "text/plain; charset=utf-8")
