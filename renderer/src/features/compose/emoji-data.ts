/**
 * A small bundled emoji set for the picker (no network, no font download): the ones social
 * media managers reach for most, by category. Names are Unicode's short names (CLDR), used as
 * each button's accessible name and for search.
 */
export const emojiCategories = ['smileys', 'people', 'nature', 'food', 'activities', 'travel', 'objects', 'symbols', 'flags'] as const;
export type EmojiCategory = (typeof emojiCategories)[number];

export interface Emoji {
  char: string;
  name: string;
}

const list = (pairs: string): Emoji[] =>
  pairs
    .trim()
    .split('\n')
    .map((line) => {
      const [char, ...name] = line.trim().split(' ');
      return { char: char as string, name: name.join(' ') };
    });

export const emojiByCategory: Record<EmojiCategory, readonly Emoji[]> = {
  smileys: list(`
    😀 grinning face
    😃 grinning face with big eyes
    😄 grinning face with smiling eyes
    😁 beaming face with smiling eyes
    😂 face with tears of joy
    🤣 rolling on the floor laughing
    😊 smiling face with smiling eyes
    😇 smiling face with halo
    🙂 slightly smiling face
    😉 winking face
    😍 smiling face with heart-eyes
    🥰 smiling face with hearts
    😘 face blowing a kiss
    😋 face savoring food
    😎 smiling face with sunglasses
    🤩 star-struck
    🥳 partying face
    🤔 thinking face
    🤗 smiling face with open hands
    😅 grinning face with sweat
    😢 crying face
    😮 face with open mouth
    😴 sleeping face
    🤯 exploding head`),
  people: list(`
    👋 waving hand
    👍 thumbs up
    👎 thumbs down
    👏 clapping hands
    🙌 raising hands
    🙏 folded hands
    💪 flexed biceps
    👉 backhand index pointing right
    👇 backhand index pointing down
    ✌️ victory hand
    🤝 handshake
    👀 eyes
    👋🏽 waving hand: medium skin tone
    👍🏿 thumbs up: dark skin tone
    👩‍💻 woman technologist
    👨‍🍳 man cook
    🧑‍🎨 artist
    👩‍👩‍👧 family: woman, woman, girl`),
  nature: list(`
    🌞 sun with face
    🌈 rainbow
    🌸 cherry blossom
    🌻 sunflower
    🌿 herb
    🍀 four leaf clover
    🍁 maple leaf
    🌊 water wave
    ❄️ snowflake
    🔥 fire
    ⭐ star
    🌙 crescent moon
    🐶 dog face
    🐱 cat face
    🦋 butterfly
    🐝 honeybee`),
  food: list(`
    ☕ hot beverage
    🍵 teacup without handle
    🥐 croissant
    🥖 baguette bread
    🍞 bread
    🍰 shortcake
    🎂 birthday cake
    🍕 pizza
    🍔 hamburger
    🥗 green salad
    🍓 strawberry
    🍋 lemon
    🍷 wine glass
    🍾 bottle with popping cork`),
  activities: list(`
    🎉 party popper
    🎊 confetti ball
    🎁 wrapped gift
    🏆 trophy
    🥇 1st place medal
    ⚽ soccer ball
    🏃 person running
    🧘 person in lotus position
    🎨 artist palette
    🎵 musical note
    🎬 clapper board
    🎮 video game`),
  travel: list(`
    ✈️ airplane
    🚀 rocket
    🚗 automobile
    🚲 bicycle
    🏠 house
    🏪 convenience store
    🏖️ beach with umbrella
    🏔️ snow-capped mountain
    🌍 globe showing Europe-Africa
    📍 round pushpin
    🗺️ world map
    🏙️ cityscape`),
  objects: list(`
    📣 megaphone
    📢 loudspeaker
    💡 light bulb
    📸 camera with flash
    📱 mobile phone
    💻 laptop
    📅 calendar
    ⏰ alarm clock
    🛒 shopping cart
    💰 money bag
    🔗 link
    📝 memo
    📦 package
    🎟️ admission tickets`),
  symbols: list(`
    ❤️ red heart
    🧡 orange heart
    💛 yellow heart
    💚 green heart
    💙 blue heart
    💜 purple heart
    ✨ sparkles
    ✅ check mark button
    ❌ cross mark
    ⚡ high voltage
    💯 hundred points
    ‼️ double exclamation mark
    ❓ red question mark
    ➡️ right arrow
    🆕 NEW button
    🔔 bell`),
  flags: list(`
    🏁 chequered flag
    🏳️‍🌈 rainbow flag
    🇪🇺 flag: European Union
    🇺🇸 flag: United States
    🇬🇧 flag: United Kingdom
    🇩🇪 flag: Germany
    🇫🇷 flag: France
    🇪🇸 flag: Spain
    🇮🇹 flag: Italy
    🇮🇱 flag: Israel
    🇸🇦 flag: Saudi Arabia
    🇯🇵 flag: Japan
    🇧🇷 flag: Brazil
    🇺🇦 flag: Ukraine`),
};
