"""Client: one method per hpo.v1.StudyService RPC, each with a deadline, retries (backoff on
UNAVAILABLE, the hinted wait on RESOURCE_EXHAUSTED), the Bearer key and typed errors."""
import os
import re

import grpc

from ._proto.hpo.v1 import study_pb2 as pb
from ._proto.hpo.v1 import study_service_pb2 as spb
from ._proto.hpo.v1 import study_service_pb2_grpc as sgrpc
from .errors import HpoError, NotFoundError, from_rpc_error
from .retry import NO_RETRY, RetryPolicy, call_with_retries
from .types import HeartbeatResult, ReportResult, Decision, SuggestResult
from .wire import (config_to_wire, measurement_to_wire, param_to_wire, specs_by_name, study_from_wire,
                   trial_from_wire)

_STUDY_NAME = re.compile(r'^studies/[^/]+$')


def _name(ref):
    return ref if isinstance(ref, str) else ref.name


def _with_client_id(request, client_id):
    """Sets client_id on requests whose message has it (ownership checks), so the SDK always sends it."""
    if client_id and 'client_id' in request.DESCRIPTOR.fields_by_name:
        request.client_id = client_id
    return request


class Client:
    """A channel to the HPO server.

    address: host:port ($HPO_ADDRESS, else 127.0.0.1:50051). api_key: sent as `authorization: Bearer`
    ($HPO_API_KEY). timeout: deadline of one attempt, in seconds. retry: a RetryPolicy, or False.
    tls: True for system roots, or a grpc.ChannelCredentials; plain text when None.
    """

    def __init__(self, address=None, api_key=None, timeout=30.0, retry=None, tls=None, options=()):
        self.address = address or os.environ.get('HPO_ADDRESS') or '127.0.0.1:50051'
        key = api_key if api_key is not None else os.environ.get('HPO_API_KEY', '')
        self._metadata = (('authorization', f'Bearer {key}'),) if key else ()
        self.timeout = timeout
        self.retry = NO_RETRY if retry is False else (retry or RetryPolicy())
        channel_options = [('grpc.initial_reconnect_backoff_ms', 100), ('grpc.max_reconnect_backoff_ms', 5000), *options]
        if tls:
            creds = tls if isinstance(tls, grpc.ChannelCredentials) else grpc.ssl_channel_credentials()
            self._channel = grpc.secure_channel(self.address, creds, options=channel_options)
        else:
            self._channel = grpc.insecure_channel(self.address, options=channel_options)
        self._stub = sgrpc.StudyServiceStub(self._channel)

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _call(self, method, request, timeout=None, retry=None):
        rpc = getattr(self._stub, method)
        policy = NO_RETRY if retry is False else (retry or self.retry)

        def once(attempt):
            try:
                return rpc(request, timeout=timeout or self.timeout, metadata=self._metadata)
            except grpc.RpcError as err:
                raise from_rpc_error(err, method, attempt) from None

        return call_with_retries(once, policy)

    # ---- studies ----

    def create_study(self, display_name, config, if_exists='FAIL', **call):
        """CreateStudy. if_exists='RETURN_EXISTING' lets every worker call it at start-up."""
        from .study import Study
        request = spb.CreateStudyRequest(display_name=display_name, config=config_to_wire(config),
                                         if_exists=spb.CreateStudyRequest.IfExists.Value(if_exists))
        return Study(self, study_from_wire(self._call('CreateStudy', request, **call)))

    def get_study(self, study, **call):
        """GetStudy. `study` is "studies/7", or, as the CLI accepts, a display name or a bare id."""
        from .study import Study
        ref = _name(study)
        if _STUDY_NAME.match(ref):
            return Study(self, study_from_wire(self._call('GetStudy', spb.GetStudyRequest(name=ref), **call)))
        for found in self.all_studies(**call):
            if found.display_name == ref:
                return found
        if ref.isdigit():
            return self.get_study(f'studies/{ref}', **call)
        raise NotFoundError(f'no study named "{ref}" (display name), and it is not a study name like "studies/7"', 'GetStudy')

    def list_studies(self, page_size=0, page_token='', **call):
        """One page of the caller's studies, newest first: (studies, next_page_token)."""
        from .study import Study
        r = self._call('ListStudies', spb.ListStudiesRequest(page_size=page_size, page_token=page_token), **call)
        return [Study(self, study_from_wire(s)) for s in r.studies], r.next_page_token

    def all_studies(self, page_size=100, **call):
        token = ''
        while True:
            studies, token = self.list_studies(page_size, token, **call)
            yield from studies
            if not token:
                return

    def delete_study(self, study, **call):
        self._call('DeleteStudy', spb.DeleteStudyRequest(name=_name(study)), **call)

    # ---- trials ----

    def suggest_trials(self, study, client_id, count=1, **call):
        r = self._call('SuggestTrials', spb.SuggestTrialsRequest(parent=_name(study), count=count, client_id=client_id), **call)
        return SuggestResult([trial_from_wire(t) for t in r.trials], r.study_done)

    def report_intermediate(self, trial, step, metrics, elapsed_seconds=0.0, client_id='', **call):
        request = _with_client_id(spb.ReportIntermediateRequest(
            name=_name(trial), measurement=measurement_to_wire(step, metrics, elapsed_seconds)), client_id)
        r = self._call('ReportIntermediate', request, **call)
        decision = spb.ReportIntermediateResponse.Decision.Name(r.decision)
        return ReportResult(Decision(decision if decision in ('STOP', 'PAUSE') else 'CONTINUE', r.reason), trial_from_wire(r.trial))

    def complete_trial(self, trial, metrics=None, step=0, elapsed_seconds=0.0, infeasible_reason=None, client_id='', **call):
        """CompleteTrial with final `metrics` (None: the last intermediate measurement), or infeasible
        when `infeasible_reason` is given."""
        request = spb.CompleteTrialRequest(name=_name(trial))
        if infeasible_reason is not None:
            request.infeasible, request.infeasible_reason = True, infeasible_reason
        elif metrics is not None:
            request.final_measurement.CopyFrom(measurement_to_wire(step, metrics, elapsed_seconds))
        return trial_from_wire(self._call('CompleteTrial', _with_client_id(request, client_id), **call))

    def fail_trial(self, trial, reason, client_id='', **call):
        """FailTrial: FAILED with `reason` (crashed, NaN, unknown metric); ignored by the algorithm."""
        return trial_from_wire(self._call('FailTrial', spb.FailTrialRequest(name=_name(trial), reason=reason, client_id=client_id), **call))

    def add_trials(self, study, trials, parameters=None, **call):
        """AddTrials: TrialInputs evaluated elsewhere. Integers go as int_value, so the study's space is
        read when `parameters` is not given."""
        specs = specs_by_name(parameters if parameters is not None else self.get_study(study, **call).config.parameters)
        wires = []
        for t in trials:
            w = pb.Trial(parameters=[param_to_wire(k, v, specs.get(k)) for k, v in t.params.items()])
            if t.final_metrics is not None:
                w.final_measurement.CopyFrom(measurement_to_wire(0, t.final_metrics))
            else:
                w.infeasible_reason = t.infeasible_reason or 'infeasible'
            wires.append(w)
        r = self._call('AddTrials', spb.AddTrialsRequest(parent=_name(study), trials=wires), **call)
        return [trial_from_wire(t) for t in r.trials]

    def get_trial(self, trial, **call):
        return trial_from_wire(self._call('GetTrial', spb.GetTrialRequest(name=_name(trial)), **call))

    def list_trials(self, study, page_size=0, page_token='', states=(), **call):
        request = spb.ListTrialsRequest(parent=_name(study), page_size=page_size, page_token=page_token,
                                        states=[pb.Trial.State.Value(s) for s in states])
        r = self._call('ListTrials', request, **call)
        return [trial_from_wire(t) for t in r.trials], r.next_page_token

    def all_trials(self, study, states=(), **call):
        out, token = [], ''
        while True:
            trials, token = self.list_trials(study, 1000, token, states, **call)
            out.extend(trials)
            if not token:
                return out

    def list_optimal_trials(self, study, **call):
        r = self._call('ListOptimalTrials', spb.ListOptimalTrialsRequest(parent=_name(study)), **call)
        return [trial_from_wire(t) for t in r.optimal_trials]

    def stop_trial(self, trial, **call):
        return trial_from_wire(self._call('StopTrial', spb.StopTrialRequest(name=_name(trial)), **call))

    def heartbeat(self, study, client_id='', trial_name='', **call):
        r = self._call('Heartbeat', spb.HeartbeatRequest(parent=_name(study), client_id=client_id, trial_name=trial_name), **call)
        return HeartbeatResult(list(r.trial_names), list(r.stopping_trial_names), r.lease_expires_at)


__all__ = ['Client', 'HpoError']
