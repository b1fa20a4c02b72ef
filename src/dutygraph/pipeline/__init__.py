"""The extraction pipeline: small components over views of the text, one file each.

``matchers`` recognises lexicon entries (units, collectives, themes, target groups), ``laws`` legal
instruments, ``targets`` numeric targets; each genre has its own parser (``duty_list``,
``task_division``, ``roster``, ``mechanism``, ``speech``); ``extract`` runs them over a document.
"""
