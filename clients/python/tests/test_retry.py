"""Retries against an in-process gRPC server that answers what the test scripts: UNAVAILABLE, and
RESOURCE_EXHAUSTED with and without the `retry-after-ms` hint."""
from concurrent import futures
import time

import grpc
import pytest

import hpo_client as hpo
from hpo_client._proto.hpo.v1 import study_pb2 as hpo_pb
from hpo_client._proto.hpo.v1 import study_service_pb2 as spb
from hpo_client._proto.hpo.v1 import study_service_pb2_grpc as sgrpc


class Scripted(sgrpc.StudyServiceServicer):
    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    def ListStudies(self, request, context):
        self.calls.append(time.monotonic())
        code, hint = self.answers.pop(0) if self.answers else (None, None)
        if code is None:
            return spb.ListStudiesResponse()
        if hint is not None:
            context.set_trailing_metadata((('retry-after-ms', str(hint)),))
        context.abort(code, f'scripted {code.name}')


@pytest.fixture()
def scripted():
    servers = []

    def start(answers):
        servicer = Scripted(answers)
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        sgrpc.add_StudyServiceServicer_to_server(servicer, server)
        port = server.add_insecure_port('127.0.0.1:0')
        server.start()
        servers.append(server)
        return servicer, f'127.0.0.1:{port}'

    yield start
    for s in servers:
        s.stop(0)


def test_unavailable_then_success(scripted):
    servicer, address = scripted([(grpc.StatusCode.UNAVAILABLE, None), (grpc.StatusCode.UNAVAILABLE, None)])
    with hpo.Client(address, retry=hpo.RetryPolicy(initial_delay=0.05)) as c:
        assert c.list_studies() == ([], '')
    assert len(servicer.calls) == 3


def test_hinted_resource_exhausted_waits_the_hint(scripted):
    servicer, address = scripted([(grpc.StatusCode.RESOURCE_EXHAUSTED, 300)])
    with hpo.Client(address) as c:
        assert c.list_studies() == ([], '')
    assert len(servicer.calls) == 2
    assert servicer.calls[1] - servicer.calls[0] >= 0.29


def test_unhinted_or_too_long_resource_exhausted_is_an_answer(scripted):
    servicer, address = scripted([(grpc.StatusCode.RESOURCE_EXHAUSTED, None), (grpc.StatusCode.RESOURCE_EXHAUSTED, 60000)])
    with hpo.Client(address) as c:
        with pytest.raises(hpo.ResourceExhaustedError) as first:
            c.list_studies()
        with pytest.raises(hpo.ResourceExhaustedError) as second:
            c.list_studies()
    assert first.value.retry_after_ms is None and second.value.retry_after_ms == 60000
    assert len(servicer.calls) == 2


def test_backoff_grows_and_is_capped():
    p = hpo.RetryPolicy(initial_delay=0.1, max_delay=0.5, multiplier=2, jitter=0)
    assert [p.backoff(i) for i in range(5)] == [0.1, 0.2, 0.4, 0.5, 0.5]


class Recording(sgrpc.StudyServiceServicer):
    def __init__(self):
        self.requests = []

    def ReportIntermediate(self, request, context):
        self.requests.append(request)
        return spb.ReportIntermediateResponse(decision=spb.ReportIntermediateResponse.CONTINUE)

    def CompleteTrial(self, request, context):
        self.requests.append(request)
        return hpo_pb.Trial(name=request.name)

    def FailTrial(self, request, context):
        self.requests.append(request)
        return hpo_pb.Trial(name=request.name)

    def Heartbeat(self, request, context):
        self.requests.append(request)
        return spb.HeartbeatResponse()


def test_the_client_id_goes_on_every_request_that_has_the_field():
    servicer = Recording()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    sgrpc.add_StudyServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port('127.0.0.1:0')
    server.start()
    try:
        with hpo.Client(f'127.0.0.1:{port}') as c:
            name = 'studies/1/trials/1'
            c.report_intermediate(name, 1, {'loss': 1.0}, client_id='w-0')
            c.complete_trial(name, {'loss': 1.0}, client_id='w-0')
            c.fail_trial(name, 'nan', client_id='w-0')
            c.heartbeat('studies/1', client_id='w-0')
    finally:
        server.stop(0)
    assert len(servicer.requests) == 4
    for request in servicer.requests:
        if 'client_id' in request.DESCRIPTOR.fields_by_name:  # FailTrial and Heartbeat now; the others once proto/ has it
            assert request.client_id == 'w-0', type(request).__name__
    assert servicer.requests[2].client_id == 'w-0'
