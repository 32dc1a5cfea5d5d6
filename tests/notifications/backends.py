"""An email backend whose next sends fail as a test scripts them (then behaves like locmem)."""

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class ScriptedBackend(LocmemBackend):
    failures: list[Exception] = []

    def send_messages(self, messages):
        if ScriptedBackend.failures:
            raise ScriptedBackend.failures.pop(0)
        return super().send_messages(messages)
