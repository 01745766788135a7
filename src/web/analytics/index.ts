// The analytics area: the beacon endpoint the page script sends view, paywall and offer-click events to (decision 028).
export {
  beaconRoutes, createBeaconIntake, BEACON_PATH, BEACON_MAX_BYTES, PAYWALL_STATES, DEFAULT_BEACON_OPTIONS,
  type BeaconDeps, type BeaconIntake, type BeaconOptions, type BeaconOutcome,
} from './beacon.routes.ts';
export { beaconListener } from './beacon-listener.ts';
