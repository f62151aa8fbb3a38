"""A stand-in for the GitHub REST API's read side: what PyGithub calls to read a repository.

  GET /repos/{o}/{r}                       get_repo (license: GitHub's detection, as configured)
  GET /repos/{o}/{r}/license               get_license (the license file, base64, with its detected license)
  GET /repos/{o}/{r}/readme[?ref=]         get_readme
  GET /repos/{o}/{r}/branches[/{b}]        get_branches / get_branch (Link-paginated)
  GET /repos/{o}/{r}/tags                  get_tags
  GET /repos/{o}/{r}/git/trees/{sha}?recursive=1   get_git_tree ("truncated" as configured)
  GET /repos/{o}/{r}/contents/{path}?ref=  get_contents (no content above 1 MB, as GitHub)

Repositories come from tests/standins/data/github/{owner}/{repo}/repo.json (+ files/), in the Hub
stand-in's file format. `prefix="/api/v3"` stands in for GitHub Enterprise Server. The writes PyGithub
makes for publishing are tests/github_api_server.py's job.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .base import Reply, Request, StandinServer
from .hub import DATA, HubRepo, git_blob_id

CONTENTS_LIMIT = 1024 * 1024


def not_found() -> Reply:
    return Reply.json({"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}, 404)


class GitHubRepo(HubRepo):
    pass


class GitHubServer(StandinServer):
    def __init__(self, host: str = "127.0.0.1", data: Path = DATA / "github", prefix: str = "") -> None:
        super().__init__(host)
        self.prefix = prefix.rstrip("/")
        self.repos: dict[str, GitHubRepo] = {}
        for spec_path in sorted(data.glob("*/*/repo.json")):
            spec = json.loads(spec_path.read_text("utf-8"))
            self.repos[spec["full_name"].lower()] = GitHubRepo({**spec, "id": spec["full_name"]}, "github", spec_path.parent)

    @property
    def api_url(self) -> str:
        """GITHUB_API_URL."""
        return self.url + self.prefix

    def repo(self, full_name: str) -> GitHubRepo:
        return self.repos[full_name.lower()]

    def move(self, full_name: str) -> str:
        r = self.repo(full_name)
        r.current = min(r.current + 1, len(r.revisions) - 1)
        return r.sha

    def route(self, req: Request) -> Reply:
        if not req.path.startswith(self.prefix + "/repos/"):
            return not_found()
        parts = [unquote(p) for p in req.path[len(self.prefix) + len("/repos/") :].split("/")]
        if len(parts) < 2:
            return not_found()
        repo = self.repos.get(f"{parts[0]}/{parts[1]}".lower())
        token = re.sub(r"^(token|bearer)\s+", "", req.headers.get("authorization", ""), flags=re.I) or None
        if repo is None or (repo.spec.get("private") and token not in repo.spec.get("granted", [])):
            return not_found()
        rest = parts[2:]
        base = f"{self.api_url}/repos/{repo.spec['full_name']}"
        if not rest:
            return Reply.json(self._repo(repo, base))
        ref = (req.query.get("ref") or [None])[0]
        rev = repo.resolve(ref) if ref else repo.rev()
        if rev is None:
            return Reply.json({"message": f"No commit found for the ref {ref}", "status": "404"}, 404)
        if rest == ["license"]:
            path = repo.spec.get("license_file")
            entry = repo.files(rev).get(path) if path else None
            if entry is None:
                return not_found()
            out = self._content(repo, base, path, entry, rev)
            out["license"] = self._license(rev.get("license", repo.spec.get("license")))
            return Reply.json(out)
        if rest == ["readme"]:
            path = next((p for p in sorted(repo.files(rev)) if "/" not in p and p.lower().startswith("readme")), None)
            return Reply.json(self._content(repo, base, path, repo.files(rev)[path], rev)) if path else not_found()
        if rest[0] == "branches":
            branches = {repo.spec["default_branch"]: repo.sha, **repo.spec.get("branches", {})}
            if len(rest) == 2:
                target = branches.get(rest[1])
                return Reply.json(self._branch(base, rest[1], target)) if target else Reply.json({"message": "Branch not found"}, 404)
            return self._page(req, [self._branch(base, n, t) for n, t in branches.items()])
        if rest == ["tags"]:
            tags = [
                {
                    "name": n,
                    "commit": {"sha": t, "url": f"{base}/commits/{t}"},
                    "zipball_url": f"{base}/zipball/{n}",
                    "tarball_url": f"{base}/tarball/{n}",
                    "node_id": "T_" + n,
                }
                for n, t in repo.spec.get("tags", {}).items()
            ]
            return self._page(req, tags)
        if rest[:2] == ["git", "trees"] and len(rest) == 3:
            rev = repo.resolve(rest[2])
            if rev is None:
                return not_found()
            return Reply.json(self._tree(repo, base, rev, rest[2]))
        if rest[0] == "contents" and len(rest) >= 2:
            path = "/".join(rest[1:])
            entry = repo.files(rev).get(path)
            if entry is None or entry.get("missing"):
                return not_found()
            return Reply.json(self._content(repo, base, path, entry, rev))
        return not_found()

    def _license(self, lic: dict[str, Any] | None) -> dict[str, Any] | None:
        if lic is None:
            return None
        return {**lic, "url": f"{self.api_url}/licenses/{lic['key']}" if lic["key"] != "other" else None, "node_id": "L_" + lic["key"]}

    def _repo(self, repo: GitHubRepo, base: str) -> dict[str, Any]:
        s = repo.spec
        owner, name = s["full_name"].split("/")
        return {
            "id": int(hashlib.md5(s["full_name"].encode()).hexdigest()[:8], 16),
            "node_id": "R_" + name,
            "name": name,
            "full_name": s["full_name"],
            "private": bool(s.get("private")),
            "owner": {"login": owner, "id": 1, "type": "Organization", "url": f"{self.api_url}/users/{owner}"},
            "html_url": f"https://github.com/{s['full_name']}",
            "description": s.get("description"),
            "fork": bool(s.get("fork")),
            "url": base,
            "homepage": s.get("homepage"),
            "size": 1234,
            "stargazers_count": 10,
            "watchers_count": 10,
            "language": "Python",
            "forks_count": 1,
            "archived": bool(s.get("archived")),
            "disabled": bool(s.get("disabled")),
            "open_issues_count": 0,
            "license": self._license(repo.rev().get("license", s.get("license"))),
            "topics": s.get("topics", []),
            "visibility": "private" if s.get("private") else "public",
            "default_branch": s["default_branch"],
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-02-01T00:00:00Z",
            "pushed_at": "2024-02-01T00:00:00Z",
        }

    def _branch(self, base: str, name: str, sha: str) -> dict[str, Any]:
        return {"name": name, "commit": {"sha": sha, "url": f"{base}/commits/{sha}"}, "protected": False}

    def _content(self, repo: GitHubRepo, base: str, path: str, entry: dict[str, Any], rev: dict[str, Any]) -> dict[str, Any]:
        data = repo.content(entry) or b""
        big = len(data) > CONTENTS_LIMIT
        encoded = "" if big else base64.encodebytes(data).decode()
        return {
            "type": "file",
            "encoding": "none" if big else "base64",
            "size": len(data),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "content": encoded,
            "sha": git_blob_id(data),
            "url": f"{base}/contents/{path}?ref={rev['sha']}",
            "git_url": f"{base}/git/blobs/{git_blob_id(data)}",
            "html_url": f"https://github.com/{repo.spec['full_name']}/blob/{rev['sha']}/{path}",
            "download_url": f"https://raw.githubusercontent.com/{repo.spec['full_name']}/{rev['sha']}/{path}",
        }

    def _tree(self, repo: GitHubRepo, base: str, rev: dict[str, Any], sha: str) -> dict[str, Any]:
        entries, dirs = [], set()
        for path, entry in sorted(repo.files(rev).items()):
            for i in range(1, path.count("/") + 1):
                d = "/".join(path.split("/")[:i])
                if d not in dirs:
                    dirs.add(d)
                    entries.append({"path": d, "mode": "040000", "type": "tree", "sha": git_blob_id(d.encode()), "url": f"{base}/git/trees/x"})
            m = repo.meta(path, entry)
            entries.append({"path": path, "mode": "100644", "type": "blob", "sha": m["blobId"], "size": m["size"], "url": f"{base}/git/blobs/{m['blobId']}"})
        return {"sha": sha, "url": f"{base}/git/trees/{sha}", "tree": entries, "truncated": bool(repo.spec.get("tree_truncated"))}

    def _page(self, req: Request, items: list[Any]) -> Reply:
        per_page = min(int((req.query.get("per_page") or ["30"])[0]), 100)
        page = int((req.query.get("page") or ["1"])[0])
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            headers["Link"] = f'<{self.url}{req.path}?per_page={per_page}&page={page + 1}>; rel="next"'
        return Reply.json(chunk, headers=headers)
