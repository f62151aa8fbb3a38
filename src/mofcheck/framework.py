"""The framework as data: components, cumulative classes and substitution rules from a versioned YAML file."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

DEFAULT_VERSION = "1.0"


@dataclass(frozen=True)
class ComponentDef:
    id: int
    name: str
    category: str  # code | data | document
    cls: int  # the class that first requires (or offers) it: 3, 2 or 1
    required: bool
    description: str
    fix: str
    aliases: tuple[str, ...] = ()
    use_policy: bool = False  # an acceptable-use policy attached to the release makes its license not open
    effort: str | None = None  # the plan's effort for releasing it, when its status does not decide


@dataclass(frozen=True)
class ClassDef:
    cls: int
    label: str
    short: str


@dataclass(frozen=True)
class Substitution:
    component: str
    substitute: str
    stand_in_classes: tuple[int, ...]
    waive_in_classes: tuple[int, ...]


@dataclass(frozen=True)
class Framework:
    name: str
    version: str
    date: str
    classes: tuple[ClassDef, ...]  # highest bar first (3, 2, 1)
    unclassified_label: str
    categories: dict
    components: tuple[ComponentDef, ...]
    substitutions: tuple[Substitution, ...]
    roles: dict[str, str] = field(default_factory=dict)  # role (final-weights, model-card, ...) -> component name

    def component(self, name: str) -> ComponentDef | None:
        return self._by_name().get(name)

    def role(self, role: str) -> str:
        """The name of the component that plays `role` (data: `roles`); a role the file lacks is a bug."""
        try:
            return self.roles[role]
        except KeyError:
            raise KeyError(f"the framework {self.version} names no component for the role {role!r}") from None

    def _by_name(self) -> dict[str, ComponentDef]:
        return {c.name: c for c in self.components}

    def role_names(self, *roles: str) -> tuple[str, ...]:
        return tuple(self.role(r) for r in roles)

    def suggest(self, text: str) -> ComponentDef | None:
        """The component a wrong name most likely means: case-insensitive name, alias, or a close match."""
        from difflib import get_close_matches

        key = " ".join(text.lower().split())
        for c in self.components:
            if c.name.lower() == key or key in c.aliases:
                return c
        names = {c.name.lower(): c for c in self.components}
        names.update({a: c for c in self.components for a in c.aliases})
        close = get_close_matches(key, list(names), n=1, cutoff=0.6)
        return names[close[0]] if close else None

    def label(self, cls: int) -> str:
        for c in self.classes:
            if c.cls == cls:
                return c.label
        return self.unclassified_label

    def class_numbers(self) -> list[int]:
        """Class numbers from the lowest bar to the highest: [3, 2, 1]."""
        return [c.cls for c in self.classes]

    def required_for(self, cls: int) -> list[ComponentDef]:
        """Required components of `cls`, cumulatively (Class I needs everything Class III and II need)."""
        return [c for c in self.components if c.required and c.cls >= cls]

    def optional_for(self, cls: int) -> list[ComponentDef]:
        return [c for c in self.components if not c.required and c.cls >= cls]

    def names(self) -> list[str]:
        return [c.name for c in self.components]


def _parse(data: dict) -> Framework:
    fw = data["framework"]
    return Framework(
        name=fw["name"],
        version=str(fw["version"]),
        date=str(fw["date"]),
        classes=tuple(ClassDef(int(c["class"]), c["label"], c["short"]) for c in data["classes"]),
        unclassified_label=data["unclassified_label"],
        categories=dict(data["categories"]),
        components=tuple(
            ComponentDef(
                id=int(c["id"]),
                name=c["name"],
                category=c["category"],
                cls=int(c["class"]),
                required=bool(c["required"]),
                description=c["description"],
                fix=c["fix"],
                aliases=tuple(str(a).lower() for a in c.get("aliases", [])),
                use_policy=bool(c.get("use_policy", False)),
                effort=c.get("effort"),
            )
            for c in data["components"]
        ),
        substitutions=tuple(
            Substitution(
                s["component"],
                s["substitute"],
                tuple(int(x) for x in s.get("stand_in_classes", [])),
                tuple(int(x) for x in s.get("waive_in_classes", [])),
            )
            for s in data.get("substitutions", [])
        ),
        roles={str(k): str(v) for k, v in (data.get("roles") or {}).items()},
    )


@cache
def load(version: str = DEFAULT_VERSION) -> Framework:
    from .datacache import load_yaml

    fw = _parse(load_yaml(f"framework/mof-{version}.yaml"))
    unknown = sorted(set(fw.roles.values()) - set(fw.names()))
    if unknown:
        raise ValueError(f"framework {version}: roles name no component: {unknown}")
    return fw


def role(role: str) -> str:
    """The component name of `role` in the default framework (evidence readers are framework-independent
    only through this)."""
    return load().role(role)
