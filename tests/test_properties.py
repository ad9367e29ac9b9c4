"""Property tests: any session the app can make renders, parses back equal, and re-renders identically."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.lines import format_checkin
from facilitator.markdown import mdformat_text, parse_document, render_session
from facilitator.model import AgendaItem, Attendee, Session
from facilitator.templates import get_template, new_session

CAFE = get_template("collab-cafe")
PLACEHOLDER_WORDS = {"name", "handle", "institution", "affiliation", "github"}

word = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(string.ascii_letters),
    st.text(alphabet=string.ascii_letters + string.digits, max_size=7),
).filter(lambda w: w.lower() not in PLACEHOLDER_WORDS)
phrase = st.lists(word, min_size=1, max_size=5).map(" ".join)
handle = st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True)


@st.composite
def attendee(draw) -> Attendee:
    return Attendee(format_checkin(draw(phrase), draw(st.just("") | handle), draw(st.just("") | phrase)))


@st.composite
def outline(draw, depth: int = 0) -> list[str]:
    """Notes as a nested bullet outline, 2-space steps (what the notetaker pane produces)."""
    out = []
    for _ in range(draw(st.integers(0, 3 if depth == 0 else 2))):
        out.append("  " * depth + "- " + draw(phrase))
        if depth < 2:
            out.extend(draw(outline(depth + 1)))
    return out


@st.composite
def agenda_item(draw) -> AgendaItem:
    owner = draw(st.just("") | phrase)
    minutes = draw(st.none() | st.integers(1, 90))
    text = CAFE.agenda_text(owner, minutes, draw(phrase))
    return AgendaItem(text=text, notes="\n".join(draw(outline())))


@st.composite
def session(draw) -> Session:
    date = draw(st.dates()).isoformat()
    s = new_session(CAFE, date, date)
    if draw(st.integers(0, 9)) == 0:  # about 1 in 10: a cancelled meeting
        s.sections = []
        s.cancelled = draw(st.sampled_from([CAFE.cancelled_note, "No meeting: " + draw(phrase) + "."]))
        s.status = "cancelled"
        return s
    checkin, celebrations, agenda = s.sections
    checkin.attendees = draw(st.lists(attendee(), max_size=8))
    celebrations.entries = draw(st.lists(phrase, max_size=4))
    agenda.items = draw(st.lists(agenda_item(), max_size=6))
    return s


def comparable(s: Session) -> dict:
    """What Markdown carries: not ids, statuses, the clock or where it was imported from."""
    d = s.to_dict()
    for key in ("id", "status", "clock", "source", "archived_in"):
        d.pop(key, None)
    for sec in d["sections"]:
        for item in sec.get("items", []):
            for key in ("id", "status", "actual_seconds", "extra_seconds", "carried_from"):
                item.pop(key, None)
    return d


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(session())
def test_render_parse_render(s: Session) -> None:
    md = render_session(s)
    assert md == mdformat_text(md)  # already what the community's formatter writes
    doc = parse_document(md, template="collab-cafe")
    assert len(doc.sessions) == 1
    back = doc.sessions[0]
    assert comparable(back) == comparable(s)
    assert render_session(back) == md
    # the parts the app shows are read back too
    assert [a.name for a in back.attendees] == [a.name for a in s.attendees]
    assert [(i.owner, i.minutes, i.title) for i in back.agenda_items] == [
        (i.owner, i.minutes, i.title) for i in s.agenda_items
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(session(), min_size=1, max_size=5, unique_by=lambda s: s.date[:4] + s.date))
def test_archive_of_many_parses_back(sessions: list[Session]) -> None:
    from facilitator.archive import insert_meeting

    year = sessions[0].date[:4]
    text = None
    for s in sessions:
        s.date = year + s.date[4:]
        s.heading = s.date
    sessions = list({s.date: s for s in sessions}.values())
    for s in sessions:
        text = insert_meeting(text, s).text
    doc = parse_document(text, template="collab-cafe")
    assert [b.date for b in doc.sessions] == sorted((s.date for s in sessions), reverse=True)
    by_date = {s.date: s for s in sessions}
    for back in doc.sessions:
        assert comparable(back) == comparable(by_date[back.date])
