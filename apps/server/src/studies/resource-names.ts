/** Resource names (studies/{id}, studies/{id}/trials/{id}): how the API and its error messages name
 *  things. Parsing them from requests is the edge's job (grpc/wire-mapping.ts). */
export function studyName(studyId: number): string {
  return `studies/${studyId}`;
}

export function trialName(studyId: number, trialId: number): string {
  return `studies/${studyId}/trials/${trialId}`;
}
