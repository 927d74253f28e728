"""A small valid scenario that tests mutate, one problem at a time."""

from __future__ import annotations

BASE = """\
# yaml-language-server: $schema=schema.json
format: 1
id: tiny-test
title: Tiny
summary: A tiny scenario for tests.
channel: phone
difficulty: 1
customer:
  name: Ms. Test
  persona: angry
  anger: 50
  vent: 1
start: opening
nodes:
  opening:
    customer: "This is unacceptable!"
    choices:
      - say: "I'm listening."
        technique: listen
        next: calmer
      - say: "Calm down."
        technique: dismiss
        next:
          - when: {anger_at_least: 70}
            goto: gone
          - goto: calmer
  calmer:
    customer: "Fine. Fix it."
    choices:
      - say: "Here's the fix."
        technique: solve
        next: done
      - say: "No."
        technique: negative_language
        next: gone
  done:
    customer: "Thanks."
    end: resolved
  gone:
    customer: "Bye."
    end: customer_left
"""
