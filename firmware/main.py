# The pin's entry point: build the Board from /board.json (written by `cloudpin deploy`) and
# run the app forever.
import asyncio

from cloudpin import app, boarddef, esp32_board


def main():
    board = esp32_board.build(boarddef.load("/board.json"))
    asyncio.run(app.App(board).run())


main()
