// The app's clock: everything that asks "what time is it" gets it from here, so tests move time instead of sleeping.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
