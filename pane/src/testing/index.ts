export { FakeHost, type FakeHostOptions, type FakeTable } from './fake-host.ts';
