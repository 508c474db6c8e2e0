"""What the export/import services raise; the views turn it into HTTP."""


class ImportConflict(Exception):
    """A concurrent write took a tag name, slug or problem id; nothing was imported."""
