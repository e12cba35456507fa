"""The worker pool: every task's result, a task's failure raised here, no worker left behind."""

from __future__ import annotations

import multiprocessing

import pytest

from generator.engine.workers import run_tasks


def test_many_tasks_pass_through_two_workers() -> None:
    """Regression: the task names were written to a pipe before any worker read it, and a
    catalogue whose names exceed the pipe's 64 KiB would have hung the build."""
    tasks = [f"exercise:synthetic-{i:05d}-" + "x" * 40 for i in range(3000)]
    assert run_tasks(tasks, str.upper, 2) == {task: task.upper() for task in tasks}


def fail_on_three(task: str) -> str:
    if task == "3":
        raise ValueError("task 3 failed")
    return task


def test_a_failing_task_is_raised_and_no_worker_runs_on() -> None:
    with pytest.raises(ValueError, match="task 3 failed"):
        run_tasks([str(i) for i in range(8)], fail_on_three, 2)
    assert multiprocessing.active_children() == []


def test_one_worker_runs_the_tasks_in_this_process() -> None:
    seen: list[str] = []
    assert run_tasks(["a", "b"], lambda t: seen.append(t) or t, 1) == {"a": "a", "b": "b"}
    assert seen == ["a", "b"]
