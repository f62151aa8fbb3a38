"""A Hugging Face model or dataset repository, read through `huggingface_hub` (imported lazily).

Calls, per source (`HfApi(endpoint=HF_ENDPOINT, token=HF_TOKEN or the stored login)`):
  model_info(securityStatus, files_metadata)  GET /api/models/{id}[/revision/{rev}]?securityStatus=True&blobs=True
  dataset_info(files_metadata)                GET /api/datasets/{id}[/revision/{rev}]?blobs=True
  list_repo_refs                              GET /api/{models|datasets}/{id}/refs
  each text (README.md, LICENSE*, ...)        GET /{id}/resolve/{sha}/{path}  (datasets: /datasets/{id}/...)
The texts are read at the commit the info call reported, streamed and cut at Budget.max_text_bytes, never
written to disk; weights and files the Hub keeps in LFS are listed, never fetched.

huggingface_hub's shared httpx2 client is replaced once per process (`set_client_factory`) by one over
mofcheck's GuardedTransport, which bounds only the requests made inside `fetch_hf`; its telemetry (a
registry fetched from huggingface.co to name AI agents in the user agent) is off unless
HF_HUB_DISABLE_TELEMETRY says otherwise.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any

from .budget import Budget
from .httpguard import Guard, guarded, new_client, origins_for, status_of, transport_kind, with_retries
from .safety import env_secrets, message, public_url, valid_hf_id
from .texts import candidates, from_bytes, unread
from .types import RemoteFile, RemoteSource, RemoteText, failed, gap, now_iso

DEFAULT_ENDPOINT = "https://huggingface.co"
_FACTORY_LOCK = threading.Lock()
_factory_installed = False


def _offline_hook(request: Any) -> None:
    from huggingface_hub import constants
    from huggingface_hub.errors import OfflineModeIsEnabled

    if constants.is_offline_mode():
        raise OfflineModeIsEnabled("offline mode is on (HF_HUB_OFFLINE)")


def install_client_factory() -> None:
    """huggingface_hub's shared client, over the guarded transport (once per process)."""
    global _factory_installed
    with _FACTORY_LOCK:
        if _factory_installed:
            return
        from huggingface_hub import constants, set_client_factory

        set_client_factory(lambda: new_client(event_hooks={"request": [_offline_hook]}))
        if not os.environ.get("HF_HUB_DISABLE_TELEMETRY"):
            # the user agent's agent detection fetches a registry from huggingface.co (not HF_ENDPOINT):
            # a request nobody asked for, to a host the user may not have named
            constants.HF_HUB_DISABLE_TELEMETRY = True
        _factory_installed = True


def hf_token() -> str | None:
    """HF_TOKEN (or the older HUGGING_FACE_HUB_TOKEN), else the token `hf auth login` stored, read as a
    plain file: no OIDC exchange and no OAuth refresh, which would be requests outside the budget."""
    for var in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        value = os.environ.get(var, "").strip()
        if value:
            return value
    if os.environ.get("HF_HUB_DISABLE_IMPLICIT_TOKEN"):
        return None
    from huggingface_hub import constants

    try:
        with open(constants.HF_TOKEN_PATH, encoding="utf-8") as fh:
            value = fh.read(4096).strip()
    except (OSError, UnicodeDecodeError):
        return None
    return value if value and "\n" not in value and len(value) < 4096 else None


def endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def canonical_url(repo_id: str, repo_type: str) -> str:
    return f"https://huggingface.co/{'datasets/' if repo_type == 'dataset' else ''}{repo_id}"


def classify(exc: BaseException, *, gated_repo: bool = False) -> tuple[str, str]:
    """error_kind and a short reason for anything a huggingface_hub call raised."""
    from huggingface_hub.errors import (
        DisabledRepoError,
        GatedRepoError,
        HfHubHTTPError,
        OfflineModeIsEnabled,
        RemoteEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    found = transport_kind(exc)
    if found is not None:
        return found
    if isinstance(exc, GatedRepoError):
        return "gated", "the repository is gated: access must be requested (HF_TOKEN of an approved account)"
    if isinstance(exc, DisabledRepoError):
        return "not-found", "the repository is disabled on the Hub"
    if isinstance(exc, RevisionNotFoundError):
        return "not-found", "no such revision"
    if isinstance(exc, RemoteEntryNotFoundError):
        return "not-found", "no such file"
    if isinstance(exc, RepositoryNotFoundError):
        return "not-found", "no such repository (or private, and the token may not read it)"
    if isinstance(exc, OfflineModeIsEnabled):
        return "unreachable", "offline mode is on (HF_HUB_OFFLINE)"
    if isinstance(exc, HfHubHTTPError):
        status = status_of(exc)
        if gated_repo and status in (401, 403):
            return "gated", f"HTTP {status}: the repository is gated"
        if status == 429:
            return "rate-limited", "HTTP 429: rate limited by the Hub"
        if status == 404:
            return "not-found", "HTTP 404"
        return "unreachable", f"HTTP {status}" if status else "the Hub answered with an error"
    if isinstance(exc, (ValueError, KeyError, TypeError, AttributeError)):
        return "malformed", f"the Hub sent a response of an unexpected shape ({type(exc).__name__})"
    raise exc  # a bug of ours: not a remote failure


def _plain(value: Any) -> Any:
    """JSON data only (card data may hold library objects); anything else becomes its string."""
    return json.loads(json.dumps(value, default=str))


def _card_data(info: Any) -> dict[str, Any]:
    cd = getattr(info, "card_data", None)
    if cd is None:
        return {}
    d = cd.to_dict() if hasattr(cd, "to_dict") else cd
    return _plain(d) if isinstance(d, dict) else {}


def _gated(value: Any) -> bool | str:
    if value in (None, False):
        return False
    return value if value in ("auto", "manual") else "manual"  # gated some unknown way: still gated


def _files(info: Any, budget: Budget, gaps: list[dict[str, Any]]) -> list[RemoteFile]:
    siblings = getattr(info, "siblings", None)
    if siblings is None:
        gaps.append(gap("files", "malformed", "the Hub listed no files"))
        return []
    out = []
    for s in siblings:
        path = getattr(s, "rfilename", None)
        if not isinstance(path, str) or not path or "\x00" in path:
            continue
        if len(out) >= budget.max_files:
            gaps.append(gap("files", "too-large", f"listed the first {budget.max_files} of {len(siblings)} files"))
            break
        lfs = getattr(s, "lfs", None)
        size = getattr(s, "size", None)
        out.append(
            RemoteFile(
                path=path,
                size=size if isinstance(size, int) else None,
                lfs_sha256=getattr(lfs, "sha256", None) if lfs is not None else None,
                blob_id=getattr(s, "blob_id", None),
            )
        )
    return out


def _refs(api: Any, repo_id: str, repo_type: str, budget: Budget) -> list[dict[str, Any]]:
    got = with_retries(lambda: api.list_repo_refs(repo_id, repo_type=repo_type), budget)
    out = [{"name": r.name, "kind": "branch", "target": r.target_commit} for r in got.branches]
    out += [{"name": r.name, "kind": "tag", "target": r.target_commit} for r in got.tags]
    return [r for r in out if isinstance(r["name"], str) and isinstance(r["target"], str)]


def _meta(info: Any, repo_type: str, card: dict[str, Any], api_endpoint: str) -> dict[str, Any]:
    last = getattr(info, "last_modified", None)
    meta: dict[str, Any] = {
        "id": getattr(info, "id", None),  # the Hub's own name for it (differs after a rename)
        "card_data": card,
        "tags": getattr(info, "tags", None),
        "last_modified": last.isoformat() if hasattr(last, "isoformat") else last,
        "sha": getattr(info, "sha", None),
        "base_model": card.get("base_model"),
        "datasets": card.get("datasets"),
    }
    if repo_type == "model":
        meta.update(
            {
                "pipeline_tag": getattr(info, "pipeline_tag", None),
                "library_name": getattr(info, "library_name", None),
                "model-index": getattr(info, "model_index", None) or card.get("model-index"),
            }
        )
    else:
        meta.update({"citation": getattr(info, "citation", None), "description": getattr(info, "description", None)})
    if api_endpoint != DEFAULT_ENDPOINT:
        meta["endpoint"] = public_url(api_endpoint)
    return _plain(meta)


def _security(info: Any) -> dict[str, Any] | None:
    status = getattr(info, "security_repo_status", None)
    st = getattr(info, "safetensors", None)
    if status is None and st is None:
        return None
    out: dict[str, Any] = {"repo_status": status}
    if st is not None:
        out["safetensors"] = {"parameters": getattr(st, "parameters", None), "total": getattr(st, "total", None)}
    return _plain(out)


def _read_text(repo_id: str, repo_type: str, rev: str, f: RemoteFile, ctx: dict[str, Any], gated: bool) -> RemoteText:
    from huggingface_hub import get_session, hf_hub_url
    from huggingface_hub.utils import hf_raise_for_status

    budget: Budget = ctx["budget"]
    if f.lfs_sha256 is not None:
        return unread(f.path, "kept in LFS by the Hub: not read", "too-large", f.size)
    url = hf_hub_url(repo_id, f.path, repo_type=repo_type, revision=rev, endpoint=ctx["endpoint"])
    limit = budget.max_text_bytes

    def once() -> bytes:
        with get_session().stream("GET", url, headers=ctx["headers"]) as r:
            if r.status_code >= 400:
                r.read()
                hf_raise_for_status(r)
            data = bytearray()
            for chunk in r.iter_bytes():
                data += chunk
                if len(data) > limit:
                    break
            return bytes(data)

    try:
        raw = with_retries(once, budget)
    except Exception as exc:
        kind, why = classify(exc, gated_repo=gated)
        return unread(f.path, message(why, ctx["secrets"]), kind, f.size)
    return from_bytes(f.path, raw, limit, f.size)


def fetch_hf(repo_id: str, repo_type: str = "model", revision: str | None = None, *, budget: Budget) -> RemoteSource:
    """What the Hub says about one repository at `revision` (default: its main branch), as plain data.
    Never raises for a remote failure: the source comes back with error and error_kind."""
    if repo_type not in ("model", "dataset"):
        raise ValueError(f"repo_type must be 'model' or 'dataset', not {repo_type!r}")
    kind = "hf-model" if repo_type == "model" else "hf-dataset"
    url = canonical_url(repo_id, repo_type) if valid_hf_id(repo_id) else "https://huggingface.co/"
    if not valid_hf_id(repo_id):
        return failed(kind, repo_id, url, "not a Hugging Face repository id (org/name)", "not-found")
    if revision is not None and (not revision or len(revision) > 200 or "\x00" in revision):
        return failed(kind, repo_id, url, "not a valid revision", "not-found")
    if budget.spent:
        return failed(kind, repo_id, url, "the run's time budget is spent", "budget")

    from huggingface_hub import HfApi
    from huggingface_hub.utils import build_hf_headers

    from .. import __version__

    install_client_factory()
    api_endpoint = endpoint()
    token = hf_token()
    secrets = env_secrets([token])
    api = HfApi(endpoint=api_endpoint, token=token or False, library_name="mofcheck", library_version=__version__)
    guard = Guard(origins_for(api_endpoint), budget, budget.max_response_bytes)
    fetched_at = now_iso()
    with guarded(guard):
        try:
            if repo_type == "model":
                info = with_retries(lambda: api.model_info(repo_id, revision=revision, securityStatus=True, files_metadata=True), budget)
            else:
                info = with_retries(lambda: api.dataset_info(repo_id, revision=revision, files_metadata=True), budget)
        except Exception as exc:
            from huggingface_hub.errors import DisabledRepoError

            error_kind, why = classify(exc)
            extra = {"disabled": True} if isinstance(exc, DisabledRepoError) else {}
            return failed(kind, repo_id, url, message(why, secrets), error_kind, **extra)
        try:
            return _source(
                api,
                info,
                repo_id,
                repo_type,
                revision,
                kind,
                url,
                fetched_at,
                budget,
                {
                    "endpoint": api_endpoint,
                    "budget": budget,
                    "secrets": secrets,
                    "headers": build_hf_headers(token=token or False, library_name="mofcheck", library_version=__version__),
                },
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return failed(kind, repo_id, url, f"the Hub sent a response of an unexpected shape ({type(exc).__name__})", "malformed")


def _source(
    api: Any, info: Any, repo_id: str, repo_type: str, revision: str | None, kind: str, url: str, fetched_at: str, budget: Budget, ctx: dict[str, Any]
) -> RemoteSource:
    gaps: list[dict[str, Any]] = []
    sha = getattr(info, "sha", None)
    if not isinstance(sha, str) or not sha:
        sha = None
        gaps.append(gap("revision", "malformed", "the Hub did not say which commit it answered for"))
    card = _card_data(info)
    lic = card.get("license")
    if not (isinstance(lic, str) or (isinstance(lic, list) and all(isinstance(x, str) for x in lic))):
        lic = None
    gated = _gated(getattr(info, "gated", None))
    src = RemoteSource(
        kind=kind,
        id=repo_id,
        url=url,
        revision=sha,
        fetched_at=fetched_at,
        license=lic,
        license_name=card.get("license_name") if isinstance(card.get("license_name"), str) else None,
        license_link=card.get("license_link") if isinstance(card.get("license_link"), str) else None,
        gated=gated,
        private=bool(getattr(info, "private", False)),
        disabled=bool(getattr(info, "disabled", False)),
        files=_files(info, budget, gaps),
        meta=_meta(info, repo_type, card, ctx["endpoint"]),
        security=_security(info) if repo_type == "model" else None,
        gaps=gaps,
    )
    try:
        refs = _refs(api, repo_id, repo_type, budget)
        if len(refs) > budget.max_refs:
            gaps.append(gap("refs", "too-large", f"listed the first {budget.max_refs} of {len(refs)} refs"))
        src.refs = refs[: budget.max_refs]
    except Exception as exc:
        error_kind, why = classify(exc, gated_repo=bool(gated))
        gaps.append(gap("refs", error_kind, message(why, ctx["secrets"])))
    by_path = {f.path: f for f in src.files}
    wanted = candidates(by_path)
    if len(wanted) > budget.max_texts:
        gaps.append(gap("texts", "too-large", f"read the first {budget.max_texts} of {len(wanted)} candidate texts"))
    rev = sha or revision or "main"
    for path in wanted[: budget.max_texts]:
        src.texts.append(_read_text(repo_id, repo_type, rev, by_path[path], ctx, bool(gated)))
    return src
