"""A technician's day: the one owner of technicians' time (reserved spans, route order, travel,
breaks, absences). Slot search, booking, reschedule, cancel, no-show, completion, one-visit
insertion, pinning and plan acceptance all go through `dispatch.schedule.service`; the
PostgreSQL exclusion constraint `visits_no_overlap` stays the last guard.
"""
