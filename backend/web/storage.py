from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed files, with the web app's ES module imports
    (``import … from "./api.js"``) rewritten to the hashed names too, so that
    every module is cached far into the future and a new release is never mixed
    with an old one."""

    support_js_module_import_aggregation = True
