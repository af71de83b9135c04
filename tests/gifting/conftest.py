import pytest


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run WRITE and the fan-outs it sends on commit."""

    def _run(write, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(**kwargs)

    return _run
