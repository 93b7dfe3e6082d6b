"""Witness-protection figures: what protected persons cost a write of free text, and how
long the stored texts take to be masked again when one more person becomes protected.

1. Write latency: ``updateNode`` of an Incident's description over HTTP GraphQL, as an
   investigator calls it, on a graph with 1,000 protected persons, beside the same graph
   with the same persons unprotected (each imported into a fresh engine and served by a
   service of its own; the two are sent the same writes in turn).
2. Re-masking: the graph with the protected persons is filled up to 100,000 incident
   descriptions (through the import); then one more person is protected through
   ``updateNode`` (as an admin: a prosecutor is cleared but does not write), which
   raises the version of the protected names; the time is taken until the service's
   re-masking job has masked every stored text again.

Everyone in it is invented: names are put together from syllables."""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accountability.domain.redaction import SYSTEM, Role
from accountability.graph.catalog import Q
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import Settings
from benchmarks.http import LeanClient
from benchmarks.runner import percentile
from benchmarks.service import served

Report = Callable[[str], None]

# --- invented names and texts -------------------------------------------------------

_SYLLABLES = (
    "ba da fa ha ja ka la ma na qa ra sa ta wa za bi di fi hi ki li mi ni ri si ti zi "
    "bu du hu ku lu mu nu qu ru su tu zu sha kha gha dha tha"
).split()
_ENDINGS = ("", "", "r", "n", "l", "m", "d", "s", "b", "q", "f", "z")
_PLACES = ("Northern Sector", "the river crossing", "the old depot", "Block C", "the airport road")
_FACILITIES = ("Facility 7", "the Eastern Annex", "Compound 12", "the Central Branch")

#: Sentences of an account that name no one.
_PLAIN = (
    "The witness described being held in a crowded cell at {facility} for {n} days.",
    "Guards moved the detainees between rooms at night and refused them water.",
    "The detainees were blindfolded and their hands were tied behind their backs.",
    "Medical records obtained later show injuries consistent with the account.",
    "No charges were ever filed and no lawyer was allowed to visit.",
    "The statement was taken in {place} and checked against two other accounts.",
    "The interview notes mention a vehicle without plates and three armed men.",
    "The cell had no window and the light was kept on day and night.",
)
#: Sentences that name a person: whole name, an alias, a surname, a possessive.
_NAMING = (
    "According to the statement, {name} was seen near {place} on the morning of the raid.",
    "{name} told the investigators that the interrogations lasted several hours each.",
    "A second account places {name} at the checkpoint shortly before the transfer.",
    "Several detainees recalled that a man known as {alias} gave the orders.",
    "The family of {name} learned of the detention only weeks afterwards.",
    "Mr {surname} was later released without explanation.",
    "{surname}'s brother reported that the house had been searched twice before.",
    "Others held with {name} confirmed the dates of the transfer to {facility}.",
)


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)) + rng.choice(_ENDINGS)


@dataclass(frozen=True)
class Invented:
    """An invented person: a full name, a given name, a surname and aliases."""

    name: str
    given: str
    surname: str
    aliases: tuple[str, ...]

    def named_in(self, text: str) -> bool:
        """Whether a word of any of the person's names is in the text (particles and
        initials aside)."""
        words = {w for n in (self.name, *self.aliases) for w in re.findall(r"\w{3,}", n)}
        words -= {"Abu"}
        return re.search(rf"\b(?:{'|'.join(sorted(words))})\b", text) is not None


def invent_people(count: int, seed: int) -> list[Invented]:
    """``count`` invented persons with distinct names, each with an alias or two."""
    rng = random.Random(seed)
    out: list[Invented] = []
    seen: set[str] = set()
    while len(out) < count:
        given = _word(rng, rng.choice((2, 2, 3))).capitalize()
        surname = _word(rng, 3).capitalize()
        name = f"{given} al-{surname}" if rng.random() < 0.4 else f"{given} {surname}"
        if name in seen or len(given) < 4 or len(surname) < 5:
            continue
        seen.add(name)
        aliases = [f"Abu {_word(rng, 2).capitalize()}"]
        if rng.random() < 0.5:
            aliases.append(f"{given[0]}. {surname}")
        out.append(Invented(name, given, surname, tuple(aliases)))
    return out


def describe(
    rng: random.Random,
    named: list[Invented],
    others: list[Invented],
    words: tuple[int, int] = (60, 200),
) -> str:
    """A witness account of ``words`` words or so: it names each of ``named``, and
    now and then one of ``others``."""
    target = rng.randint(*words)
    queue = list(named)
    out: list[str] = []
    count = 0
    while count < target or queue:
        if queue or rng.random() < 0.2:
            person = queue.pop(0) if queue else rng.choice(others)
            template = rng.choice(_NAMING)
        else:
            person, template = others[0], rng.choice(_PLAIN)
        sentence = template.format(
            name=person.name,
            alias=rng.choice(person.aliases),
            surname=person.surname,
            place=rng.choice(_PLACES),
            facility=rng.choice(_FACILITIES),
            n=rng.randint(2, 90),
        )
        out.append(sentence)
        count += len(sentence.split())
    return " ".join(out)


# --- the graphs ---------------------------------------------------------------------

PROTECTED = 1_000
#: The person protected in the middle of the re-masking measure, and their pseudonym.
NEWLY_PROTECTED = "p-new"
NEW_PSEUDONYM = "Witness N-1"
WRITE = """mutation($id: ID!, $p: JSON!) {
  updateNode(id: $id, properties: $p) { id ... on Incident { description } } }"""
PROTECT = """mutation($id: ID!, $p: JSON!) {
  updateNode(id: $id, properties: $p) { id ... on Person { name } } }"""
SHOW = """query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Incident { description } } }"""
COUNT = "{ incidents(first: 1) { totalCount } }"


@dataclass(frozen=True)
class Cast:
    """Who is in the graphs: the persons who are (or, for comparison, are not)
    protected, the person protected later, and others named in texts only."""

    guarded: list[Invented]
    newcomer: Invented
    others: list[Invented]

    @classmethod
    def invent(cls, protected: int) -> Cast:
        people = invent_people(protected + 1 + 2000, seed=11)
        return cls(people[:protected], people[protected], people[protected + 1 :])

    def persons(self, protected: bool) -> list[dict[str, Any]]:
        """The person nodes: the guarded ones protected or not, and the newcomer."""
        out = [
            {
                "id": f"p-{i:04d}",
                "label": "Person",
                "properties": {
                    "name": p.name,
                    "aliases": list(p.aliases),
                    **({"protected": True, "pseudonym": f"Witness W-{i:04d}"} if protected else {}),
                },
            }
            for i, p in enumerate(self.guarded)
        ]
        out.append(
            {
                "id": NEWLY_PROTECTED,
                "label": "Person",
                "properties": {"name": self.newcomer.name, "aliases": list(self.newcomer.aliases)},
            }
        )
        return out

    def text(self, rng: random.Random, newcomer_share: float = 0.0) -> str:
        """An account: half of them name one or two of the guarded persons; a share of
        them name the newcomer."""
        named: list[Invented] = []
        if rng.random() < 0.5:
            named += rng.sample(self.guarded, rng.choice((1, 1, 2)))
        if rng.random() < newcomer_share:
            named.append(self.newcomer)
        rng.shuffle(named)
        return describe(rng, named, self.others)


def incidents(rng: random.Random, cast: Cast, ids: range, newcomer_share: float) -> list[Any]:
    kinds = ("torture", "killing", "enforced_disappearance", "arbitrary_detention")
    return [
        {
            "id": f"i-{i:06d}",
            "label": "Incident",
            "properties": {
                "kind": rng.choice(kinds),
                "title": f"Fictional incident {i}",
                "start_date": f"{rng.randint(2008, 2018)}-{rng.randint(1, 12):02d}-"
                f"{rng.randint(1, 28):02d}",
                "description": cast.text(rng, newcomer_share),
            },
        }
        for i in ids
    ]


def document(nodes: list[Any]) -> dict[str, Any]:
    return {"format": "accountability-graph", "version": 1, "nodes": nodes, "claims": []}


def settings_for(data_dir: Path, heap_mb: int) -> Settings:
    return Settings(data_dir=data_dir, db_uri=None, embedded_heap_mb=heap_mb)


@contextlib.asynccontextmanager
async def attach(data_dir: Path, heap_mb: int) -> AsyncIterator[Database]:
    """The database of the service running on ``data_dir``, through its engine."""
    db = Database(settings_for(data_dir, heap_mb))
    await db.open(attach=True)
    try:
        yield db
    finally:
        await db.close()


async def build(settings: Settings, doc: dict[str, Any]) -> None:
    """Import a graph through the service, on an engine of its own, then close it."""
    db = Database(settings)
    await db.open()
    try:
        await Services.over(db, settings).interchange.import_document(SYSTEM, doc)
    finally:
        await db.close()


async def token(db: Database, role: Role) -> str:
    services = Services.over(db, db.settings)
    return (await services.tokens.create(role, f"benchmark {role.value}", SYSTEM))[1]


async def post(client: LeanClient, query: str, **variables: Any) -> dict[str, Any]:
    status, body = await client.post_json("/graphql", {"query": query, "variables": variables})
    assert status == 200 and "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


# --- the measures -------------------------------------------------------------------


async def write_latency(
    clients: list[LeanClient], targets: list[str], texts: list[str], warm_up: int
) -> list[list[float]]:
    """Seconds per updateNode of a description, for each client: the same writes, each
    sent to every client in turn (whose first goes first alternates, so a change of load
    on the machine falls on all alike); the first ``warm_up`` not kept."""
    samples: list[list[float]] = [[] for _ in clients]
    for i, (target, text) in enumerate(zip(targets, texts, strict=True)):
        order = list(enumerate(clients))
        for k, client in order if i % 2 else order[::-1]:
            t = time.perf_counter()
            await post(client, WRITE, id=target, p={"description": text})
            if i >= warm_up:
                samples[k].append(time.perf_counter() - t)
    return samples


def latency_line(what: str, samples: list[float]) -> str:
    return (
        f"write latency ({what}): median {percentile(samples, 0.5):.1f} ms  "
        f"p95 {percentile(samples, 0.95):.1f} ms  p99 {percentile(samples, 0.99):.1f} ms  "
        f"mean {statistics.mean(samples) * 1000:.1f} ms"
    )


async def served_renditions(client: LeanClient, ids: list[str]) -> tuple[float, float, float]:
    """Of these incidents' descriptions as ``client`` is served them, on average: the
    words, the mentions given a pseudonym, and the words withheld."""
    data = await post(client, SHOW, ids=ids)
    served = [str(n["description"]) for n in data["nodes"] if n]
    return (
        statistics.mean(len(d.split()) for d in served),
        statistics.mean(d.count("Witness ") for d in served),
        statistics.mean(d.count("[withheld]") for d in served),
    )


async def remask(
    attached: Database,
    port: int,
    cast: Cast,
    rng: random.Random,
    texts: int,
    have: int,
    report: Report,
) -> None:
    """Fill the graph up to ``texts`` incident descriptions, protect one more person and
    time the re-masking job until every stored text is masked again."""
    settings = attached.settings
    share = 0.01
    doc = document(incidents(rng, cast, range(have, texts), share))
    naming = [
        n["id"] for n in doc["nodes"] if cast.newcomer.named_in(n["properties"]["description"])
    ]
    t = time.perf_counter()
    await Services.over(attached, settings).interchange.import_document(SYSTEM, doc)
    took = time.perf_counter() - t
    report(
        f"import {len(doc['nodes']):,} more incidents with descriptions (masked as written, "
        f"{len(cast.guarded):,} protected): {took:.1f} s ({len(doc['nodes']) / took:,.0f}/s)"
    )
    del doc
    analyst = LeanClient("127.0.0.1", port, await token(attached, Role.ANALYST))
    admin = LeanClient("127.0.0.1", port, await token(attached, Role.ADMIN))
    async with analyst, admin:
        served = (await post(analyst, COUNT))["incidents"]["totalCount"]
        assert served == texts, f"{served} incidents served before the change, not {texts}"

        t0 = time.perf_counter()
        await post(
            admin,
            PROTECT,
            id=NEWLY_PROTECTED,
            p={"protected": True, "pseudonym": NEW_PSEUDONYM},
        )
        t1 = time.perf_counter()
        report(
            f"protect one more person (updateNode as an admin, HTTP GraphQL): "
            f"{t1 - t0:.2f} s (the write waits up to 10 s for the re-masking job)"
        )
        gen = int((await attached.read(Q.MASK_STATE))[0]["gen"])
        # Each look costs the engine a scan of the version index (about 0.4 s at 100,000
        # nodes), so look less often as the job goes on: to within 2% of its time.
        next_note = t1 + 60
        while await attached.read(Q.STALE_NODES, gen=gen, limit=1) or await attached.read(
            Q.STALE_CLAIMS, gen=gen, limit=1
        ):
            elapsed = time.perf_counter() - t0
            if time.perf_counter() >= next_note:
                next_note += 60
                done = (await post(analyst, COUNT))["incidents"]["totalCount"]
                report(f"  … {done:,} of {texts:,} incidents masked again after {elapsed:.0f} s")
            await asyncio.sleep(min(5.0, max(0.5, elapsed / 50)))
        t2 = time.perf_counter()
        report(
            f"re-mask {texts:,} texts: {t2 - t0:.1f} s ({texts / (t2 - t0):,.0f}/s), from the "
            f"update until no stale rendition is left ({texts + len(cast.guarded) + 1:,} nodes "
            f"masked again in all; {len(naming):,} of the texts name the newly protected person)"
        )

        served = (await post(analyst, COUNT))["incidents"]["totalCount"]
        sample = naming[:50]
        shown = await post(analyst, SHOW, ids=sample)
        leaks = [n["id"] for n in shown["nodes"] if cast.newcomer.named_in(n["description"])]
        pseudonymized = sum(NEW_PSEUDONYM in n["description"] for n in shown["nodes"])
        report(
            f"check: {served:,} of {texts:,} incidents served to analysts again; of "
            f"{len(sample)} texts that name the newly protected person, {len(leaks)} still "
            f"show the name, {pseudonymized} show the pseudonym"
        )


async def run(folder: Path, writes: int, texts: int, heap_mb: int, report: Report) -> None:
    cast = Cast.invent(PROTECTED)
    rng = random.Random(21)
    warm_up = 30
    base = incidents(rng, cast, range(1000), 0.0)
    targets = [rng.choice(base)["id"] for _ in range(warm_up + writes)]
    written = [cast.text(rng) for _ in targets]
    report(
        f"write graphs: {len(cast.guarded) + 1:,} persons (each with an alias or two) and "
        f"{len(base):,} incidents, once with {len(cast.guarded):,} of the persons protected and "
        "once with none, each imported into a fresh engine and served by its own service; "
        f"{writes} updateNode of an incident description (60-200 words, half of them naming "
        f"one or two of those persons) over HTTP GraphQL as an investigator, sent to both in "
        f"turn, after {warm_up} not timed"
    )
    folders = {protected: folder / f"protected-{protected}" for protected in (False, True)}
    for protected, data in folders.items():
        await build(settings_for(data, heap_mb), document(cast.persons(protected) + base))

    async with served(folders[True], heap_mb) as port, attach(folders[True], heap_mb) as db:
        writer = LeanClient("127.0.0.1", port, await token(db, Role.INVESTIGATOR))
        async with (
            served(folders[False], heap_mb) as other_port,
            attach(folders[False], heap_mb) as other_db,
        ):
            other = LeanClient("127.0.0.1", other_port, await token(other_db, Role.INVESTIGATOR))
            async with writer, other:
                unguarded, guarded = await write_latency([other, writer], targets, written, warm_up)
                words, pseudonyms, withheld = await served_renditions(
                    writer, list(dict.fromkeys(targets))[:100]
                )
        # The service without protected persons has stopped.
        what = f"{len(cast.guarded):,} protected"
        report(latency_line("0 protected", unguarded))
        report(latency_line(what, guarded))
        report(
            f"renditions served to an investigator ({what}): on average {words:.0f} words, "
            f"{pseudonyms:.1f} pseudonyms and {withheld:.1f} [withheld] per description"
        )
        await remask(db, port, cast, rng, texts, len(base), report)


def main(writes: int, texts: int, heap_mb: int, data_dir: Path | None) -> None:
    """Run the witness-protection benchmark on fresh scratch folders."""

    def report(line: str) -> None:
        print(line, flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-protection-", dir=data_dir) as tmp:
        asyncio.run(run(Path(tmp), writes, texts, heap_mb, report))
