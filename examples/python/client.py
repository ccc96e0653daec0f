#!/usr/bin/python3
"""A Python client of the HPO service, from the .proto files alone: the contract is language-neutral.

It generates the hpo.v1 stubs with grpc_tools.protoc into a temporary directory at run time, then runs
a small study: create (idempotently), suggest, report intermediate values, complete, list the optimal
trial. Debian: apt-get install python3-grpcio python3-grpc-tools.

    /usr/bin/python3 examples/python/client.py --address 127.0.0.1:50051 [--api-key KEY] [--trials 6]

Prints one JSON line with the study name, the trials it ran and the best trial.
"""
import argparse
import importlib
import json
import os
import sys
import tempfile

from grpc_tools import protoc
import grpc

PROTO_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', 'proto'))


def generate_stubs(out_dir):
    """Runs protoc (with grpc_tools' bundled well-known types) on hpo/v1/*.proto into out_dir."""
    include = os.path.join(os.path.dirname(protoc.__file__), '_proto')
    files = [os.path.join('hpo', 'v1', f) for f in ('study.proto', 'study_service.proto')]
    status = protoc.main(['grpc_tools.protoc', f'-I{PROTO_DIR}', f'-I{include}', f'--python_out={out_dir}',
                          f'--grpc_python_out={out_dir}', *files])
    if status != 0:
        raise RuntimeError(f'protoc failed with status {status}')
    for package in ('hpo', os.path.join('hpo', 'v1')):
        open(os.path.join(out_dir, package, '__init__.py'), 'a').close()
    sys.path.insert(0, out_dir)
    return (importlib.import_module('hpo.v1.study_pb2'), importlib.import_module('hpo.v1.study_service_pb2'),
            importlib.import_module('hpo.v1.study_service_pb2_grpc'))


def value_of(parameter):
    return getattr(parameter, parameter.WhichOneof('value'))


def objective(params):
    """A stand-in for training: smallest at x = 0.3, y = -1."""
    return (params['x'] - 0.3) ** 2 + (params['y'] + 1) ** 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--address', default=os.environ.get('HPO_ADDRESS', '127.0.0.1:50051'))
    parser.add_argument('--api-key', default=os.environ.get('HPO_API_KEY', ''))
    parser.add_argument('--trials', type=int, default=6)
    parser.add_argument('--study', default='python-client')
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix='hpo-stubs-') as out_dir:
        pb, service, service_grpc = generate_stubs(out_dir)
        metadata = [('authorization', f'Bearer {args.api_key}')] if args.api_key else []
        with grpc.insecure_channel(args.address) as channel:
            grpc.channel_ready_future(channel).result(timeout=10)
            stub = service_grpc.StudyServiceStub(channel)
            config = pb.StudyConfig(
                parameters=[
                    pb.ParameterSpec(name='x', type=pb.ParameterSpec.DOUBLE, min_value=-2, max_value=2),
                    pb.ParameterSpec(name='y', type=pb.ParameterSpec.DOUBLE, min_value=-2, max_value=2),
                ],
                metrics=[pb.MetricSpec(name='loss', goal=pb.MetricSpec.MINIMIZE)],
                algorithm=pb.QUASI_RANDOM_SEARCH,
                max_trials=args.trials,
            )
            study = stub.CreateStudy(service.CreateStudyRequest(
                display_name=args.study, config=config,
                if_exists=service.CreateStudyRequest.RETURN_EXISTING), metadata=metadata, timeout=10)
            ran = []
            while True:
                reply = stub.SuggestTrials(service.SuggestTrialsRequest(parent=study.name, count=2, client_id='python'),
                                           metadata=metadata, timeout=30)
                if not reply.trials:
                    break
                for trial in reply.trials:
                    params = {p.name: value_of(p) for p in trial.parameters}
                    loss = objective(params)
                    for step in (1, 2, 3):
                        measurement = pb.Measurement(step=step, metrics=[pb.Metric(name='loss', value=loss + 1.0 / step)])
                        decision = stub.ReportIntermediate(service.ReportIntermediateRequest(
                            name=trial.name, measurement=measurement), metadata=metadata, timeout=10)
                        if decision.decision != service.ReportIntermediateResponse.CONTINUE:
                            break
                    done = stub.CompleteTrial(service.CompleteTrialRequest(
                        name=trial.name, final_measurement=pb.Measurement(step=3, metrics=[pb.Metric(name='loss', value=loss)])),
                        metadata=metadata, timeout=10)
                    ran.append({'trial': done.name, 'state': pb.Trial.State.Name(done.state), 'params': params, 'loss': loss})
                if reply.study_done:
                    break
            optimal = stub.ListOptimalTrials(service.ListOptimalTrialsRequest(parent=study.name), metadata=metadata, timeout=10)
            best = optimal.optimal_trials[0] if optimal.optimal_trials else None
            print(json.dumps({
                'study': study.name,
                'trials': ran,
                'best': None if best is None else {
                    'trial': best.name,
                    'params': {p.name: value_of(p) for p in best.parameters},
                    'loss': {m.name: m.value for m in best.final_measurement.metrics}['loss'],
                },
            }))


if __name__ == '__main__':
    main()
