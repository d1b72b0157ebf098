import { readFileSync } from 'node:fs';
import { DataError } from '../../../../contract/step.js';
import { readExport, type OpenOptions } from '../../../../lib/survey/readers/index.js';

const DIR = new URL('../../../fixtures/exports/', import.meta.url);

/** A fixture's bytes and its path as messages name it. */
export function fixture(name: string): [string, Uint8Array] {
  return [`test/fixtures/exports/${name}`, new Uint8Array(readFileSync(new URL(name, DIR)))];
}

export const read = (name: string, options?: OpenOptions) => readExport(...fixture(name), options);

/** The DataError reading `name` throws, formatted as the CLI prints it; no error at all fails the test. */
export async function readError(name: string, options?: OpenOptions): Promise<string> {
  try {
    await read(name, options);
  } catch (e) {
    if (e instanceof DataError) return e.describe();
    throw e;
  }
  throw new Error(`expected a DataError reading ${name}`);
}

/** The answers panel.sps saves (and panel.csv, panel.xlsx hold), as label text. */
export const PANEL_CELLS = [
  ['BN0001', 'Often', 'Sometimes', 'A few hours a week or more', 'Male', '35-44', 'likes the park'],
  ['BN0002', 'Never', "Don't know", 'No time', 'Female', '65 or over', ''],
  ['BN0003', 'Sometimes', 'Refused', '', 'Male', '', 'Our café is good'],
  ['BN0004', 'Refused', 'Often', 'A few hours a month', 'No answer', '25-34', ''],
  ['BN0005', '7', 'Never', 'A few hours a year', 'Female', '18-24', '  spaced'],
];
export const PANEL_NAMES = ['RespondentID', 'Q1', 'Q2', 'Q3', 'Gender', 'Age', 'Comment'];
