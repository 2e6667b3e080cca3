// A new box as its owner meets it: started without the demo, every page leads to the
// setup; the owner names the venue, picks a country and a starting menu, chooses a PIN,
// and lands in the back office signed in. A waiter's phone opened afterwards signs in.
import { test, expect } from '@playwright/test';
import { HTTPS_PORT } from '../lan/network';
import { startEmptyBox } from './helpers';

test('the owner sets up a new box from the browser and is signed in', async ({ browser }) => {
  test.setTimeout(60_000);
  const box = await startEmptyBox(HTTPS_PORT + 2);
  try {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await page.goto(`${box.url}/floor`);
    await expect(page).toHaveURL(`${box.url}/setup`);
    await expect(page.getByRole('heading', { name: 'Welcome to Comanda' })).toBeVisible();

    await page.getByLabel('Name', { exact: true }).fill('Osteria Lucia');
    await page.getByLabel('Country').selectOption({ label: 'Italy' });
    // The country fills in what a venue there uses.
    await expect(page.getByLabel('Currency')).toHaveValue('EUR');
    await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Rome');
    await expect(page.getByLabel('Tax rates (%)')).toHaveValue('10, 22');
    await page.getByRole('button', { name: /^Café/ }).click();
    await page.getByLabel('Your name').fill('Lucia');

    // An easy PIN is refused before anything is sent, and so are two that differ.
    await page.getByLabel('Your PIN (4 to 8 digits)').fill('1234');
    await page.getByLabel('The same PIN again').fill('1234');
    await page.getByRole('button', { name: 'Open my venue' }).click();
    await expect(page.getByRole('alert')).toContainText('counting up or down');
    await page.getByLabel('Your PIN (4 to 8 digits)').fill('4711');
    await page.getByLabel('The same PIN again').fill('4712');
    await page.getByRole('button', { name: 'Open my venue' }).click();
    await expect(page.getByRole('alert')).toContainText('The two PINs differ');

    await page.getByLabel('The same PIN again').fill('4711');
    await page.getByRole('button', { name: 'Open my venue' }).click();
    await expect(page).toHaveURL(`${box.url}/manager`);
    await expect(page.getByText('Lucia', { exact: false }).first()).toBeVisible();

    // Set up once: the page now says so, and a phone signs in with the owner's PIN.
    await page.goto(`${box.url}/setup`);
    await expect(page.getByText('This venue is set up already.')).toBeVisible();
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await phone.goto(box.url);
    for (const digit of '4711') await phone.getByRole('button', { name: digit, exact: true }).click();
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await expect(phone).toHaveURL(`${box.url}/manager`);
  } finally {
    box.stop();
  }
});
