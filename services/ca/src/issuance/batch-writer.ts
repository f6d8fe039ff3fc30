// The group-commit writer lives in @iis/persistence (onboarding's enrollment records use it too).
export { BatchWriter } from '@iis/persistence';
