"""Annotate: the spaCy pipeline (tokenizer, sections, cue rules, quotes) and its trained sentence
components, with the features and linear models they score. Imports only the shared base."""
