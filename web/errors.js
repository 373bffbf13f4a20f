// Job errors and API errors as sentences a person can act on; the raw text stays available.

const JOB_ERRORS = {
  upstream_validation: 'fal refused this input before running it.',
  model_error: 'The model could not process this input.',
  upstream_error: 'fal answered with an unexpected error.',
  upstream_lost: 'fal no longer knows this request.',
  upstream_uncertain: 'fal’s answer to the submit was lost; the job was not sent twice, so you were not charged twice.',
  poll_failed: 'falgate could not follow this job at fal; it was cancelled there.',
  timeout: 'The model gave no result in time; the job was cancelled at fal.',
  output_copy_failed: 'The model finished, but its files could not be copied into falgate’s storage.',
};

/**
 * → { headline, problems: [{field, message}], raw } for a job's `error: {code, message}`;
 * a problem that only repeats the headline is left out.
 */
export function explainJobError(error) {
  const raw = String(error?.message ?? '');
  const headline = JOB_ERRORS[error?.code] ?? 'The job failed.';
  return {
    headline,
    problems: inputProblems(raw).filter((p) => sentence(p.message) !== sentence(headline)),
    raw,
  };
}

function sentence(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * fal's messages name inputs as "input.image_url: …", sometimes wrapped in a JSON-ish list such
 * as `The model could not process this input (["body"])`; pull out what names a field.
 */
function inputProblems(raw) {
  const problems = [];
  for (const match of raw.matchAll(/input(?:\.([\w.[\]]+))?:\s*([^;\n]+)/g)) {
    problems.push({ field: match[1] ?? 'input', message: match[2].trim() });
  }
  return problems;
}

/** An ApiError's message and field details as one sentence. */
export function describeApiError(error) {
  const details = (error.details ?? []).map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ');
  const text = details ? `${error.message} (${details})` : error.message;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
