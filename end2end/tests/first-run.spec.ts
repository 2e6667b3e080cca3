// A new box as its owner meets it: started without the demo, every page leads to the
// setup; the owner names the venue and chooses a PIN, then sets up the whole venue in the
// back office (a station, categories, options, a product, a room with tables, a waiter).
// The waiter signs in on a phone and orders that product, the station's screen shows it,
// and when the owner marks it sold out the phone shows so without a reload.
import { test, expect, Page } from '@playwright/test';
import { HTTPS_PORT } from '../lan/network';
import { seat, startEmptyBox } from './helpers';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

async function keypad(page: Page, pin: string) {
  for (const digit of pin) await page.getByRole('button', { name: digit, exact: true }).click();
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('the owner sets up a new box and the venue works with what they set up', async ({ browser }) => {
  test.setTimeout(120_000);
  const box = await startEmptyBox(HTTPS_PORT + 2);
  try {
    const owner = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await owner.goto(`${box.url}/floor`);
    await expect(owner).toHaveURL(`${box.url}/setup`);
    await expect(owner.getByRole('heading', { name: 'Welcome to Comanda' })).toBeVisible();

    await owner.getByLabel('Name', { exact: true }).fill('Osteria Lucia');
    await owner.getByLabel('Country').selectOption({ label: 'Italy' });
    // The country fills in what a venue there uses.
    await expect(owner.getByLabel('Currency')).toHaveValue('EUR');
    await expect(owner.getByLabel('Time zone')).toHaveValue('Europe/Rome');
    await expect(owner.getByLabel('Tax rates (%)')).toHaveValue('10, 22');
    await owner.getByRole('button', { name: /^Empty/ }).click();
    await owner.getByLabel('Your name').fill('Lucia');
    // An easy PIN is refused before anything is sent, and so are two that differ.
    await owner.getByLabel('Your PIN (4 to 8 digits)').fill('1234');
    await owner.getByLabel('The same PIN again').fill('1234');
    await owner.getByRole('button', { name: 'Open my venue' }).click();
    await expect(owner.getByRole('alert')).toContainText('counting up or down');
    await owner.getByLabel('Your PIN (4 to 8 digits)').fill('4711');
    await owner.getByLabel('The same PIN again').fill('4712');
    await owner.getByRole('button', { name: 'Open my venue' }).click();
    await expect(owner.getByRole('alert')).toContainText('The two PINs differ');
    await owner.getByLabel('The same PIN again').fill('4711');
    await owner.getByRole('button', { name: 'Open my venue' }).click();
    await expect(owner).toHaveURL(`${box.url}/manager`);
    await expect(owner.locator('.top-bar h1')).toHaveText('Osteria Lucia · back office');

    // A station.
    await owner.getByRole('link', { name: 'Stations & printers' }).click();
    const newStation = owner.getByRole('form', { name: 'Add a station' });
    await newStation.getByLabel('Name').fill('Pizza oven');
    await newStation.getByLabel('Yellow after (min)').fill('5');
    await newStation.getByLabel('Red after (min)').fill('10');
    await newStation.getByRole('button', { name: 'Add station' }).click();
    await expect(owner.getByRole('link', { name: "Open this station's screen (/kitchen/pizza-oven)" })).toBeVisible();

    // Two categories, a required choice, an add-on, and a product offering both.
    await owner.getByRole('link', { name: 'Menu' }).click();
    const addCategory = owner.getByRole('form', { name: 'Add a category' });
    for (const name of ['Pizza', 'Drinks']) {
      await addCategory.getByLabel('New category').fill(name);
      await addCategory.getByRole('button', { name: 'Add category' }).click();
      await expect(owner.locator('.category-chip', { hasText: name })).toBeVisible();
    }
    const addOptions = owner.getByRole('form', { name: 'Add options' });
    await addOptions.getByLabel('Options name').fill('Size');
    await addOptions.getByLabel('Kind').selectOption({ label: 'Choice (guests pick)' });
    await addOptions.getByLabel('One option per line').fill('Regular\nLarge +3.00');
    await addOptions.getByRole('button', { name: 'Add options' }).click();
    await expect(owner.getByRole('group', { name: 'Option groups' })).toContainText('Large +€3.00');
    await addOptions.getByLabel('Options name').fill('Toppings');
    await addOptions.getByLabel('Kind').selectOption({ label: 'Add-ons (extra cost)' });
    await addOptions.getByLabel('One option per line').fill('Burrata +2.50');
    await addOptions.getByRole('button', { name: 'Add options' }).click();
    await expect(owner.getByRole('group', { name: 'Option groups' })).toContainText('Burrata +€2.50');
    const addProduct = owner.getByRole('form', { name: 'Add a product' });
    await addProduct.getByLabel('Product name').fill('Pizza Lucia');
    await addProduct.getByLabel('Price').fill('11');
    await addProduct.getByLabel('Category').selectOption({ label: 'Pizza' });
    await addProduct.getByLabel('Made at').selectOption({ label: 'Pizza oven' });
    await addProduct.getByLabel(/^Size:/).check();
    await addProduct.getByLabel(/^Toppings:/).check();
    await addProduct.getByRole('button', { name: 'Add product' }).click();
    const pizzaRow = owner.locator('.product-row[data-product="Pizza Lucia"]');
    await expect(pizzaRow).toContainText('€11.00');
    await expect(pizzaRow).toContainText('Pizza oven · tax 10%');
    // Drinks first, as the owner wants the waiters to see them.
    await owner.getByRole('button', { name: 'Change the category Drinks' }).click();
    await owner.getByRole('button', { name: 'Move earlier' }).click();
    await expect(owner.locator('.category-chip')).toHaveText(['Drinks', 'Pizza']);

    // A room with three tables.
    await owner.getByRole('link', { name: 'Floor', exact: true }).click();
    const addRoom = owner.getByRole('form', { name: 'Add a room' });
    await addRoom.getByLabel('Room name').fill('Garden');
    await addRoom.getByRole('button', { name: 'Add room' }).click();
    const addTable = owner.getByRole('form', { name: 'Add a table' });
    await expect(addTable.getByLabel('Room')).toHaveValue(/.+/);
    for (const label of ['G1', 'G2', 'G3']) {
      await addTable.getByLabel('Table label').fill(label);
      await addTable.getByLabel('Seats').fill('2');
      await addTable.getByRole('button', { name: 'Add table' }).click();
      await expect(owner.getByRole('group', { name: 'Garden' }).getByRole('button', { name: new RegExp(`^${label}`) })).toBeVisible();
    }

    // A waiter with a PIN of her own.
    await owner.getByRole('link', { name: 'Staff' }).click();
    const addSomeone = owner.getByRole('form', { name: 'Add someone' });
    await addSomeone.getByLabel('Name').fill('Rosa');
    await addSomeone.getByLabel('Role').selectOption('waiter');
    await addSomeone.getByLabel('PIN').fill('5831');
    await addSomeone.getByRole('button', { name: 'Add' }).click();
    await expect(owner.locator('.staff-member[data-name="Rosa"]')).toContainText('waiter');

    // The station's screen, open before the order comes.
    const oven = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await oven.goto(`${box.url}/?next=/kitchen/pizza-oven`);
    await keypad(oven, '4711');
    await expect(oven).toHaveURL(`${box.url}/kitchen/pizza-oven`);
    await expect(oven.locator('.top-bar .live')).toHaveText('live');

    // Rosa orders the pizza, large with burrata, on her phone.
    const rosa = await (await browser.newContext(phone)).newPage();
    await rosa.goto(box.url);
    await keypad(rosa, '5831');
    await expect(rosa).toHaveURL(`${box.url}/floor`);
    await seat(rosa, 'G1', 2);
    await expect(rosa).toHaveURL(/\/order\//);
    await expect(rosa.locator('.chips button').filter({ hasText: /^(Drinks|Pizza)$/ })).toHaveText(['Drinks', 'Pizza']);
    await rosa.getByRole('button', { name: 'Pizza', exact: true }).click();
    await rosa.getByRole('button', { name: /^Pizza Lucia/ }).click();
    const sheet = rosa.getByRole('dialog', { name: 'Pizza Lucia' });
    await expect(sheet.getByRole('button', { name: /^Add/ })).toBeDisabled(); // the size is required
    await sheet.getByRole('button', { name: 'Large +€3.00' }).click();
    await sheet.getByRole('button', { name: 'Burrata +€2.50' }).click();
    await sheet.getByRole('button', { name: 'Add €16.50' }).click();
    await rosa.getByRole('button', { name: 'Send 1' }).click();

    const ticket = oven.locator('.tickets .ticket').filter({ hasText: 'Table G1' });
    await expect(ticket).toHaveCount(1);
    await expect(ticket).toContainText('Pizza Lucia');
    await expect(ticket).toContainText('Large');
    await expect(ticket).toContainText('+ Burrata');

    // Sold out: the owner says so, and Rosa's phone shows it without a reload.
    const pizzaButton = rosa.getByRole('button', { name: /^Pizza Lucia/ });
    await expect(pizzaButton).toContainText('€11.00');
    await owner.getByRole('link', { name: 'Menu' }).click();
    await pizzaRow.getByRole('button', { name: 'Mark sold out' }).click();
    await expect(pizzaRow.getByRole('button', { name: 'Back on sale' })).toBeVisible();
    await expect(pizzaButton).toContainText('Sold out');

    // Set up once: the setup page now says so.
    await owner.goto(`${box.url}/setup`);
    await expect(owner.getByText('This venue is set up already.')).toBeVisible();
  } finally {
    box.stop();
  }
});
