"""The errors that end an import; each one's ``str()`` is the sentence shown to the user."""


class ImportFailed(Exception):
    """An import cannot go on, for a reason the user can act on."""


class UnknownUser(ImportFailed):
    pass


class UpstreamUnavailable(ImportFailed):
    """The platform did not answer usefully, even after retries."""


class UpstreamMalformed(ImportFailed):
    """The platform answered with something we cannot read."""


class ImportCancelled(Exception):
    """The user cancelled the job while it ran: stop at the next problem, keep what is saved."""


class ImportRunning(Exception):
    """A different import from the same platform is still queued or running (``job``)."""

    def __init__(self, job):
        super().__init__(job)
        self.job = job


class ImportAlreadyFinished(Exception):
    """A cancel asked of a job (``job``) that has already succeeded or failed."""

    def __init__(self, job):
        super().__init__(job)
        self.job = job
