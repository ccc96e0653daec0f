"""Client: one method per RPC (checked against proto/), the stubs as build_stubs.py makes them from
proto/, typed views, and typed errors from a real server."""
import os
import re
import tempfile

import grpc
import pytest

import build_stubs
import hpo_client as hpo
from conftest import REPO, quadratic_config


def snake(name):
    return re.sub(r'(?<!^)(?=[A-Z])', '_', name).lower()


def test_one_method_per_rpc_of_the_proto():
    with open(os.path.join(REPO, 'proto', 'hpo', 'v1', 'study_service.proto')) as f:
        rpcs = re.findall(r'^\s*rpc (\w+)\(', f.read(), flags=re.M)
    assert len(rpcs) >= 14
    assert [r for r in rpcs if not callable(getattr(hpo.Client, snake(r), None))] == []


def test_stubs_match_proto():
    generated = os.path.join(os.path.dirname(hpo.__file__), '_proto', 'hpo', 'v1')
    with tempfile.TemporaryDirectory() as out:
        build_stubs.generate(out=out)
        for name in ('study_pb2.py', 'study_service_pb2.py', 'study_service_pb2_grpc.py'):
            with open(os.path.join(out, 'hpo', 'v1', name)) as fresh, open(os.path.join(generated, name)) as shipped:
                assert shipped.read() == fresh.read(), f'{name} is stale: run /usr/bin/python3 clients/python/build_stubs.py'


def test_create_get_by_display_name_and_id_typed_views(client):
    study = client.create_study('py-methods', quadratic_config(max_trials=5))
    assert re.match(r'^studies/\d+$', study.name)
    assert study.config.algorithm == 'QUASI_RANDOM_SEARCH'
    assert [p.name for p in study.config.parameters] == ['x', 'n', 'kind', 'batch']
    assert study.config.parameters[1].min == 1 and study.config.parameters[1].max == 8
    assert study.config.parameters[2].children[0].parameter.name == 'w'
    assert client.get_study('py-methods').name == study.name
    assert client.get_study(study.id).name == study.name
    assert client.get_study(study.name).display_name == 'py-methods'
    again = client.create_study('py-methods', quadratic_config(), if_exists='RETURN_EXISTING')
    assert again.name == study.name and again.config.max_trials == 5

    reply = client.suggest_trials(study, 'py-w', count=2)
    t1, t2 = reply.trials
    assert t1.state == 'ACTIVE' and t1.client_id == 'py-w'
    assert isinstance(t1.params['n'], int) and isinstance(t1.params['x'], float) and t1.params['kind'] in ('a', 'b')
    r = client.report_intermediate(t1, 1, {'loss': 0.9}, elapsed_seconds=1.0)
    assert r.decision.decision == 'CONTINUE'
    assert r.trial.measurements == [hpo.Measurement(1, {'loss': 0.9}, 1.0)]
    done = client.complete_trial(t1, {'loss': 0.5}, step=2)
    assert done.state == 'SUCCEEDED' and done.final_measurement.metrics == {'loss': 0.5}
    failed = client.fail_trial(t2, 'objective returned NaN', client_id='py-w')
    assert (failed.state, failed.status_reason) == ('FAILED', 'objective returned NaN')
    trials = study.trials
    assert [t.state for t in trials] == ['SUCCEEDED', 'FAILED']
    assert trials[0].value == 0.5 and trials[0].number == t1.id
    assert study.best_trial.name == t1.name and study.best_value == 0.5
    added = study.add_trials([hpo.TrialInput({'x': 0.5, 'n': 1, 'kind': 'a', 'batch': 16}, {'loss': 0.01})])
    assert added[0].params['n'] == 1 and study.best_trial.name == added[0].name
    assert study.refresh().trial_counts.failed == 1


def test_typed_errors_from_the_server(client):
    with pytest.raises(hpo.NotFoundError) as e:
        client.get_study('studies/99999')
    assert e.value.code == 'NOT_FOUND' and e.value.method == 'GetStudy' and e.value.status_code == grpc.StatusCode.NOT_FOUND
    with pytest.raises(hpo.NotFoundError):
        client.get_study('no-such-study')
    with pytest.raises(hpo.InvalidArgumentError) as e:
        client.create_study('bad', hpo.StudyConfig(parameters=[hpo.Double('x', 3, 1)], metrics=[hpo.Metric('m')]))
    assert e.value.attempts == 1 and 'min' in e.value.details
    client.create_study('dup', quadratic_config())
    with pytest.raises(hpo.AlreadyExistsError):
        client.create_study('dup', quadratic_config())
    study = client.get_study('dup')
    t = client.suggest_trials(study, 'e1').trials[0]
    client.complete_trial(t, {'loss': 1.0})
    with pytest.raises(hpo.FailedPreconditionError):
        client.fail_trial(t, 'late')
    assert all(issubclass(cls, hpo.HpoError) for cls in hpo.ERRORS_BY_CODE.values())


def test_every_status_code_has_its_error_class():
    class Fake(grpc.RpcError):
        def __init__(self, code):
            self._code = code

        def code(self):
            return self._code

        def details(self):
            return 'why'

        def trailing_metadata(self):
            return (('retry-after-ms', '250'),)

    from hpo_client.errors import from_rpc_error
    codes = [c for c in grpc.StatusCode if c is not grpc.StatusCode.OK]
    assert len(hpo.ERRORS_BY_CODE) == len(codes)
    for code in codes:
        err = from_rpc_error(Fake(code), 'M', 2)
        assert isinstance(err, hpo.HpoError) and err.code == code.name and err.status_code == code
        assert type(err) is hpo.ERRORS_BY_CODE[code.name] and err.attempts == 2 and err.retry_after_ms == 250


def test_unavailable_is_retried_with_backoff_then_typed():
    with grpc.insecure_channel('127.0.0.1:1'):
        pass
    policy = hpo.RetryPolicy(max_attempts=3, initial_delay=0.05, max_delay=0.1)
    with hpo.Client('127.0.0.1:1', timeout=2, retry=policy) as c:
        with pytest.raises(hpo.UnavailableError) as e:
            c.list_studies()
    assert e.value.attempts == 3


def test_unauthenticated_with_tenants(tmp_path):
    from conftest import Server
    s = Server(str(tmp_path / 'data'))
    try:
        key = s.cli('tenants', 'create', 'team-py').strip()
        with hpo.Client(s.address, api_key='') as anonymous:
            with pytest.raises(hpo.UnauthenticatedError):
                anonymous.list_studies()
        with hpo.Client(s.address, api_key=key) as team:
            assert team.list_studies() == ([], '')
    finally:
        s.stop()


def test_metric_roles_round_trip_and_the_feasible_pareto_set(client):
    config = hpo.StudyConfig(
        parameters=[hpo.Double('x', 0, 1, prior=hpo.Prior(0.25, 0.2))],
        metrics=[hpo.Metric('error', 'MINIMIZE'), hpo.Metric('size', 'MINIMIZE', reference_point=2.0),
                 hpo.Metric('latency', 'MINIMIZE', 'CONSTRAINT', threshold=0.0), hpo.Metric('loss', 'MINIMIZE', 'TRACKED')],
        algorithm='RANDOM_SEARCH')
    study = client.create_study('py-roles', config)
    assert study.config.parameters[0].prior == hpo.Prior(0.25, 0.2)
    assert [(m.name, m.role, m.threshold, m.reference_point) for m in study.config.metrics] == [
        ('error', 'OBJECTIVE', None, None), ('size', 'OBJECTIVE', None, 2.0),
        ('latency', 'CONSTRAINT', 0.0, None), ('loss', 'TRACKED', None, None)]
    values = [{'error': 1, 'size': 1, 'latency': -1, 'loss': 0}, {'error': 0, 'size': 0, 'latency': 1, 'loss': 0},
              {'error': 2, 'size': 0.5, 'latency': 0, 'loss': 9}]
    for metrics in values:
        trial = client.suggest_trials(study, 'py-roles', count=1).trials[0]
        client.complete_trial(trial, metrics)
    # Trial 2 dominates but misses the constraint (latency 1 > 0); 1 and 3 trade error against size.
    assert sorted(t.id for t in client.list_optimal_trials(study)) == [1, 3]
    with pytest.raises(hpo.HpoError) as err:
        client.create_study('py-roles-bad', hpo.StudyConfig(parameters=[hpo.Double('x', 0, 1)], metrics=[
            hpo.Metric('error', 'MINIMIZE'), hpo.Metric('latency', 'MINIMIZE', 'CONSTRAINT')]))
    assert err.value.code == 'INVALID_ARGUMENT' and 'config.metrics[1].threshold' in err.value.details
