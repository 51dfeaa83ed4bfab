"""VROOM through pyvroom: every field rule of the engine model except the working-time limit.

VROOM has no maximum working duration; the planner's repair step enforces it on VROOM's routes.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import vroom

from dispatch.routing import rules
from dispatch.routing.engine import (
    Problem,
    Route,
    Solution,
    Step,
    StepKind,
    Task,
    TimeWindow,
    Unassigned,
    Vehicle,
)

# VROOM matrices are unsigned 32-bit; one profile per speed factor of the fleet.
_PROFILE = "car"
_NO_LIMIT = 2**32 - 1


def takes(problem: Problem) -> bool:
    """Tell whether VROOM accepts the problem: each vehicle needs a start or an end place."""
    return all(v.start_index is not None or v.end_index is not None for v in problem.vehicles)


def expresses(problem: Problem) -> bool:
    """Tell whether VROOM accepts the problem and models all of it (no working-time limit)."""
    return takes(problem) and all(v.max_duration is None for v in problem.vehicles)


class VroomSolver:
    """Plan with VROOM; unassigned tasks get the first simple cause found, else no_feasible_slot."""

    name = "vroom"

    def __init__(self, exploration_level: int = 5, threads: int = 2) -> None:
        self.exploration_level = exploration_level
        self.threads = threads

    def solve(self, problem: Problem, time_limit_s: float) -> Solution:
        """Plan all tasks on the vehicles within the time limit."""
        if not problem.tasks:
            return Solution(routes=(), unassigned=(), solver=self.name)
        if not problem.vehicles:  # VROOM refuses an empty fleet; nobody works that day
            unassigned = tuple(Unassigned(t.id, _reason(problem, t)) for t in problem.tasks)
            return Solution(routes=(), unassigned=unassigned, solver=self.name)
        result = self._input(problem).solve(
            exploration_level=self.exploration_level,
            nb_threads=self.threads,
            timeout=timedelta(seconds=time_limit_s),
        )
        output = result.to_dict()
        routes = tuple(_route(raw) for raw in output["routes"])
        unassigned = tuple(
            Unassigned(raw["id"], _reason(problem, problem.task_by_id[raw["id"]]))
            for raw in output["unassigned"]
        )
        return Solution(routes=routes, unassigned=unassigned, solver=self.name)

    def _input(self, problem: Problem) -> vroom.Input:
        data = vroom.Input()
        # One profile per speed: the engine's own scaled matrix, so both agree to the second.
        for speed in {v.speed_factor for v in problem.vehicles}:
            profile = _profile(speed)
            durations = np.minimum(problem.travel_matrix(speed), _NO_LIMIT)
            data.set_durations_matrix(profile, durations.astype("uint32"))
            if problem.distances is not None:
                distances = np.asarray(problem.distances, dtype="uint32")
                data.set_distances_matrix(profile, distances)
        vehicle_codes, task_codes = rules.skill_codes(problem)
        loaded = any(t.demand for t in problem.tasks) or any(
            v.capacity is not None for v in problem.vehicles
        )
        for vehicle in problem.vehicles:
            data.add_vehicle(_vehicle(vehicle, vehicle_codes[vehicle.id], loaded))
        data.add_job([_job(task, task_codes[task.id], loaded) for task in problem.tasks])
        return data


def _vehicle(vehicle: Vehicle, skills: set[int], loaded: bool) -> vroom.Vehicle:
    options = {}
    if vehicle.max_tasks is not None:
        options["max_tasks"] = vehicle.max_tasks
    if vehicle.max_travel_time is not None:
        options["max_travel_time"] = vehicle.max_travel_time
    if loaded:
        capacity = _NO_LIMIT if vehicle.capacity is None else vehicle.capacity
        options["capacity"] = vroom.Amount([capacity])
    return vroom.Vehicle(
        vehicle.id,
        profile=_profile(vehicle.speed_factor),
        start=vehicle.start_index,
        end=vehicle.end_index,
        skills=skills,
        time_window=_window(vehicle.shift),
        breaks=[
            vroom.Break(b.id, time_windows=[_window(w) for w in b.windows], service=b.service)
            for b in vehicle.breaks
        ],
        **options,
    )


def _profile(speed_factor: float) -> str:
    return _PROFILE if speed_factor == 1 else f"{_PROFILE}@{speed_factor}"


def _job(task: Task, skills: set[int], loaded: bool) -> vroom.Job:
    return vroom.Job(
        task.id,
        location=task.location_index,
        default_service=task.service,
        delivery=vroom.Amount([task.demand] if loaded else []),
        skills=skills,
        priority=task.priority,
        time_windows=[_window(w) for w in rules.effective_windows(task)],
    )


def _window(window: TimeWindow) -> vroom.TimeWindow:
    return vroom.TimeWindow(window.start, window.end)


def _route(raw: dict) -> Route:
    steps = []
    for step in raw["steps"]:
        kind = StepKind.TASK if step["type"] == "job" else StepKind(step["type"])
        arrival = step["arrival"]
        steps.append(
            Step(
                kind=kind,
                id=step.get("id"),
                location_index=step.get("location_index"),
                arrival=arrival,
                start=arrival + step["waiting_time"],
            )
        )
    return Route(
        vehicle_id=raw["vehicle"],
        steps=tuple(steps),
        travel_time=raw["duration"],
        distance=raw.get("distance", 0),
    )


def _reason(problem: Problem, task: Task) -> str:
    return rules.diagnose(problem, task) or rules.NO_FEASIBLE_SLOT
