"""Speak: findings into words, the coaching feedback, the terminal checklist and the supervisor's
coaching report. Imports judge, annotate and the shared base."""
