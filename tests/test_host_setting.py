"""HOST=0.0.0.0 serves the demo on the mall's network; ALLOWED_HOSTS follows it (issue 11, item 8)."""

from satuatap.env import allowed_hosts, this_machine_names


def test_default_serves_this_machine_only():
    assert allowed_hosts("", "127.0.0.1") == ["127.0.0.1", "localhost"]


def test_binding_every_address_allows_this_machines_names_and_addresses():
    hosts = allowed_hosts("", "0.0.0.0")  # noqa: S104
    assert hosts == this_machine_names()
    assert "127.0.0.1" in hosts and "localhost" in hosts and "*" not in hosts
    assert len(hosts) > 2  # at least the machine's own name besides the loopback


def test_an_explicit_list_wins():
    assert allowed_hosts("mpp.example.go.id,10.0.0.5", "0.0.0.0")  # noqa: S104 == ["mpp.example.go.id", "10.0.0.5"]


def test_the_procfile_binds_host_with_a_local_default():
    from pathlib import Path

    procfile = (Path(__file__).resolve().parents[1] / "Procfile").read_text()
    assert "--bind ${HOST:-127.0.0.1}:8000" in procfile and "--host ${HOST:-127.0.0.1}" in procfile
