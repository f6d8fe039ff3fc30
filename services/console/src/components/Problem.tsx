import { ApiError } from '../api/client';

/** An error as the operator should read it: the API's code and message, as text. */
export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof ApiError ? `${error.status} ${error.code}: ${error.message}` : String((error as Error)?.message ?? error);
  return (
    <p className="problem" role="alert">
      {text}
    </p>
  );
}
