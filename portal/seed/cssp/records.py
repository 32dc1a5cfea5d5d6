"""How the loader writes: a record is created, with its links, only when absent (matched by its
slug), and never modified once it exists; the LoadReport counts both."""

import datetime
import zoneinfo
from dataclasses import dataclass, field


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.existing
        bucket[kind] = bucket.get(kind, 0) + 1


def bilingual(record: dict, *names: str) -> dict:
    """The fields `<name>_en` and `<name>_fr` of each name, blank when the record has none."""
    return {
        f"{name}_{lang}": record.get(f"{name}_{lang}", "")
        for name in names
        for lang in ("en", "fr")
    }


def aware(value: str, zone: str) -> datetime.datetime:
    """A local date and time of the data file, in its time zone."""
    return datetime.datetime.fromisoformat(value).replace(tzinfo=zoneinfo.ZoneInfo(zone))


def create_if_absent(model, report: LoadReport, kind: str, lookup: dict, values: dict):
    """Create the record if absent; return (record, created). Never touches an existing one."""
    instance = model.objects.filter(**lookup).first()
    if instance is not None:
        report.count(kind, created=False)
        return instance, False
    instance = model(**lookup, **values)
    instance.full_clean()
    instance.save()
    report.count(kind, created=True)
    return instance, True
