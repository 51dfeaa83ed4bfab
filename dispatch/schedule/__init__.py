"""A technician's day: the one owner of technicians' time (reserved spans, route order, travel,
breaks, absences). Slot search, booking, reschedule, cancel, no-show, completion, one-visit
insertion, pinning and plan acceptance all go through `dispatch.schedule.service`; the
PostgreSQL exclusion constraint `route_stops_no_overlap` stays the last guard.
Its part of a visit is `dispatch.schedule.models.RouteStop`; only this package writes it.
"""
