// Public face of operations: backup and restore of a site, master key rotation.
export { BACKED_UP_DIRS, createBackup, defaultBackupName, inspectBackup, restoreBackup, targetOf, type SiteLocation } from './backup.service.ts';
export { assertMasterKeysOpen, countNotUnderCurrentKey, rotateMasterKey, type RotationOptions, type RotationReport } from './key-rotation.service.ts';
