#!/usr/bin/python3
"""Reads calendar objects with the icalendar library's own RFC 5545 parser and prints, as JSON, what
the iTIP checks need of each: the method and every event's UID, SEQUENCE, STATUS, SUMMARY, start,
LAST-MODIFIED, ORGANIZER and ATTENDEEs. A file the parser refuses makes this exit non-zero."""

import json
import sys

import icalendar


def text(value):
    return None if value is None else str(value)


def when(value):
    return None if value is None else value.dt.isoformat()


def read(path):
    with open(path, "rb") as f:
        calendar = icalendar.Calendar.from_ical(f.read())
    events = []
    for event in calendar.walk("VEVENT"):
        attendees = event.get("ATTENDEE")
        if attendees is None:
            attendees = []
        elif not isinstance(attendees, list):
            attendees = [attendees]
        events.append({
            "uid": text(event.get("UID")),
            "sequence": int(event.get("SEQUENCE", 0)),
            "status": text(event.get("STATUS")),
            "summary": text(event.get("SUMMARY")),
            "start": when(event.get("DTSTART")),
            "last_modified": when(event.get("LAST-MODIFIED")),
            "organizer": text(event.get("ORGANIZER")),
            "attendees": [text(a) for a in attendees],
        })
    return {"method": text(calendar.get("METHOD")), "version": text(calendar.get("VERSION")), "events": events}


if __name__ == "__main__":
    print(json.dumps([read(path) for path in sys.argv[1:]]))
