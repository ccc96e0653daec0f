/** Which way a metric is better. The one definition every lib and the server share (it sits at the
 *  bottom of the lib graph so the stopping rules, the GP's users and the policy contract all reach it). */
export type Goal = 'MAXIMIZE' | 'MINIMIZE';
